"""Everyday words for the taxonomy, beyond its own names and keywords: what an institution writes
when it describes a problem instead of naming a category (Chinese and English).

Read by ``matching.ranking.reading`` to turn a free-text need into suggested categories, robot
type and product class. Written from the taxonomy and the dev set (bench/data/devset.json), never
from the held-out needs."""

from __future__ import annotations

# fmt: off
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "material_delivery": (
        "送饭", "端饭", "打饭", "送到房间", "送到门口", "饭菜", "三餐", "药品", "分药", "搭电梯",
        "乘电梯", "deliver", "delivery", "meal", "meals", "tray", "medication", "errand",
    ),
    "inspection_patrol": (
        "夜里", "半夜", "晚上", "夜班", "摔倒", "倒地", "转转", "巡视", "巡房", "游走", "看一眼",
        "patrol", "night", "fall", "fallen", "wander", "rounds",
    ),
    "sanitation_disinfection": (
        "消毒液", "病菌", "感染", "细菌", "病毒", "流感", "诺如", "disinfect", "disinfection",
        "sanitise", "sanitize", "uv", "germ", "infection",
    ),
    "rehab_training": (
        "恢复", "偏瘫", "重新走路", "锻炼", "步行", "行走训练", "rehab", "rehabilitation",
        "walk again", "relearn", "exercise", "stroke",
    ),
    "daily_care": (
        "失能", "卧床", "护工", "擦身", "如厕", "抱起", "搬动老人", "挪到", "褥疮", "bathing",
        "bedridden", "transfer", "lifting", "toileting", "feeding",
    ),
    "emotional_companion": (
        "说话", "寂寞", "没人陪", "想家", "陪着", "唱歌", "讲故事", "lonely", "loneliness",
        "companion", "company", "chat", "talk",
    ),
    "clothing_care": ("洗衣服", "晾衣", "叠衣服", "laundry", "clothes", "folding"),
    "food_management": ("做饭", "菜", "冷藏", "过期", "cooking", "fridge", "groceries"),
    "home_cleaning": ("地面", "吸尘", "灰尘", "脏", "cleaning", "vacuum", "mop", "floor"),
    "extended_home_service": ("杂物", "家里乱", "chores", "tidy", "housework"),
    "home_elder_assist": (
        "一个人住", "子女不在", "空巢", "远程看", "独自在家", "living alone", "at home",
        "home alone", "elderly parent",
    ),
    "quality_inspection": (
        "划痕", "瑕疵", "漏检", "质检员", "视觉检测", "defect", "defects", "scratch",
        "inspection", "quality",
    ),
    "part_handling": (
        "物料", "工件", "拧", "上料", "下料", "机床", "picking", "assembly", "material handling",
        "loading",
    ),
    "equipment_maintenance": (
        "故障", "异响", "温度", "仪表", "停机", "巡检", "fault", "maintenance", "monitoring",
        "vibration", "downtime",
    ),
    "core_components": ("关节", "电机", "执行器", "reducer", "joint module", "actuator", "gear"),
    "simulation_testing": ("仿真", "标定", "测试台", "simulation", "calibration", "test bench"),
    "fire_reconnaissance": (
        "火灾", "起火", "浓烟", "烟雾", "危化", "爆炸", "fire", "smoke", "firefighter",
        "hazardous",
    ),
    "exhibition_guide": (
        "参观", "来访", "访客", "展馆", "博物馆", "介绍", "visitor", "visitors", "exhibition",
        "museum", "guide", "tour",
    ),
    "security_patrol": (
        "保安", "周界", "入侵", "闯入", "监控", "security", "intruder", "perimeter", "guard",
    ),
    "public_service_desk": (
        "大厅", "窗口", "排队", "办事群众", "service hall", "queue", "enquiries", "citizens",
    ),
    "undercar_inspection": ("车底", "走行部", "列车底部", "地沟", "undercarriage", "bogie"),
    "rail_assembly_assist": ("车辆装配", "转向架装配", "assembly line", "bolt tightening"),
    "weld_inspection": ("焊缝", "焊接质量", "裂纹", "weld", "welds", "welding", "crack"),
    "container_handling": ("集装箱", "掏箱", "装车", "卸车", "container", "containers", "unload"),
    "cargo_handling": ("搬货", "码垛", "叉车", "仓储", "pallet", "pallets", "warehouse", "cargo"),
    "container_lashing": ("绑扎", "扭锁", "lashing", "twistlock", "twist lock"),
    "underwater_survey": ("海底", "水下", "潜水员", "水库", "坝体", "seabed", "underwater", "dam"),
    "usv_survey": ("水面", "测深", "航道", "湖面", "surface vessel", "bathymetry", "usv"),
    "pipeline_inspection": ("管线", "输油", "泄漏", "pipeline", "pipe", "leak", "subsea"),
    "fishery_patrol": ("养殖", "网箱", "鱼", "渔船", "偷捕", "fish", "fishery", "aquaculture"),
    "surgery_assist": ("手术室", "骨科", "穿刺", "surgery", "surgical", "operating room"),
    "rehab_devices": (
        "偏瘫", "下肢", "上肢", "手指", "肌力", "exoskeleton", "gait", "upper limb", "lower limb",
    ),
    "cognitive_training": ("认知", "痴呆", "失智", "记性", "dementia", "cognitive", "memory"),
    "ward_logistics": (
        "病房", "护士站", "检验科", "标本", "科室之间", "ward", "wards", "specimen", "specimens",
        "hospital", "pharmacy",
    ),
    "health_monitoring": (
        "心率", "血氧", "体温", "睡眠", "生命体征", "vital signs", "heart rate", "blood pressure",
        "sleep",
    ),
    "training_data_collection": ("数据采集", "训练场", "data collection", "training data"),
    "research_education": ("课程", "学生", "教学", "实验室", "students", "teaching", "research"),
}

PRODUCT_CLASS_WORDS: dict[str, tuple[str, ...]] = {
    "daily_living": (
        "送餐", "送药", "配送", "清洁", "洗衣", "护理", "翻身", "移位", "洗澡", "喂饭", "如厕",
        "家务", "送饭", "搬运", "delivery", "meal", "cleaning", "bathing", "transfer", "chores",
    ),
    "emotional_interaction": (
        "陪伴", "聊天", "孤独", "解闷", "寂寞", "陪护", "说话", "唱歌", "lonely", "companion",
        "chat", "talk",
    ),
    "health_management": (
        "跌倒", "摔倒", "血压", "体征", "心率", "监测", "健康", "睡眠", "慢病", "fall",
        "vital signs", "heart rate", "health", "monitoring",
    ),
    "rehab_medical": (
        "康复", "偏瘫", "中风", "卒中", "走路", "外骨骼", "认知", "医疗", "手术", "rehab",
        "rehabilitation", "stroke", "walk again", "exoskeleton", "surgery", "medical",
    ),
}

# Robot types that usually do a category's work: a weak hint for the robot type when the need
# names none (a delivery need in a nursing home is usually met by a wheeled robot).
CATEGORY_ROBOT_TYPES: dict[str, str] = {
    "material_delivery": "wheeled",
    "inspection_patrol": "wheeled",
    "sanitation_disinfection": "wheeled",
    "rehab_training": "rehab_device",
    "daily_care": "care_robot",
    "emotional_companion": "desktop",
    "home_cleaning": "wheeled",
    "home_elder_assist": "service",
    "quality_inspection": "arm",
    "part_handling": "arm",
    "fire_reconnaissance": "quadruped",
    "exhibition_guide": "service",
    "security_patrol": "quadruped",
    "public_service_desk": "service",
    "underwater_survey": "underwater",
    "usv_survey": "usv",
    "pipeline_inspection": "underwater",
    "fishery_patrol": "usv",
    "surgery_assist": "surgical",
    "rehab_devices": "exoskeleton",
    "cognitive_training": "software",
    "ward_logistics": "wheeled",
    "cargo_handling": "vehicle",
    "container_handling": "vehicle",
    "core_components": "component",
    "simulation_testing": "software",
}
# fmt: on
