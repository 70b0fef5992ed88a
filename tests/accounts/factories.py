from __future__ import annotations

import factory

from accounts.models import Organization, User


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试机构{n}")
    kind = Organization.Kind.DEMAND
    sub_type = Organization.SubType.ELDER_CARE
    district = "崂山区"
    city = "青岛市"
    contact_person = "张老师"
    phone = "0532-80000000"
    email = factory.Sequence(lambda n: f"org{n}@example.com")
    review_status = Organization.ReviewStatus.APPROVED


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = "测试用户"
    organization = factory.SubFactory(OrganizationFactory)
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-9")

    @classmethod
    def _after_postgeneration(
        cls, instance: User, create: bool, results: dict[str, object] | None = None
    ) -> None:
        """Store the password ``set_password`` hashed after the row was first saved."""
        if create:
            instance.save()
