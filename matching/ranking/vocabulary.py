"""Names and keywords of the taxonomy, handed to the pure ranking code (loaded from the DB once)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Words a person uses for each robot type, beyond the taxonomy's own names.
ROBOT_TYPE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "humanoid": ("人形", "双足", "humanoid"),
    "quadruped": ("四足", "机器狗", "机械狗", "quadruped", "robot dog"),
    "wheeled": ("轮式", "底盘", "wheeled", "amr", "agv"),
    "arm": ("机械臂", "协作臂", "robotic arm", "cobot"),
    "exoskeleton": ("外骨骼", "exoskeleton"),
    "rehab_device": ("康复设备", "康复机器人", "rehabilitation"),
    "care_robot": ("护理机器人", "陪护机器人", "care robot"),
    "desktop": ("桌面", "desktop"),
    "underwater": ("水下", "潜水", "rov", "auv", "underwater"),
    "usv": ("无人船", "无人艇", "水面", "usv", "surface vessel"),
    "vehicle": ("无人车", "车辆", "vehicle"),
    "surgical": ("手术", "surgical"),
    "component": ("减速器", "关节模组", "零部件", "reducer", "actuator"),
    "software": ("软件", "仿真", "平台", "software", "simulation"),
    "service": ("服务机器人", "service robot"),
}


@dataclass(frozen=True, slots=True)
class Vocabulary:
    category_names: dict[str, str] = field(default_factory=dict)
    category_keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    domain_names: dict[str, str] = field(default_factory=dict)
    product_class_names: dict[str, str] = field(default_factory=dict)
    robot_type_terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # English names, for reasons read in English (a missing one falls back to the Chinese).
    category_names_en: dict[str, str] = field(default_factory=dict)
    domain_names_en: dict[str, str] = field(default_factory=dict)
    certification_names_en: dict[str, str] = field(default_factory=dict)

    def category_terms(self, code: str) -> tuple[str, ...]:
        name = self.category_names.get(code, "")
        return tuple(t for t in (name, *self.category_keywords.get(code, ())) if t)


EMPTY_VOCABULARY = Vocabulary()
