"""The resident registry (实有人口 · 民情档案): households, persons and what is known of them.

ID numbers and phones are stored SM4-GCM encrypted (`*_cipher`), searchable by exact value
through a keyed SM3 blind index (`*_index`), and shown masked (`*_masked`) unless revealed."""

from django.db import models


class Household(models.Model):
    """户: the unit grid workers visit and police contact covers."""

    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="households", verbose_name="微网格")
    address = models.CharField("住址", max_length=200)
    head = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="户主"
    )
    police_contact_at = models.DateTimeField("加入警民联系时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "户"
        indexes = [models.Index(fields=["region", "id"], name="household_region")]  # micro-grid roster

    def __str__(self) -> str:
        return self.address


class Person(models.Model):
    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    class Status(models.TextChoices):
        RESIDENT = "resident", "常住"
        FLOATING = "floating", "流动"
        AWAY = "away", "外出"

    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    id_number_cipher = models.TextField(blank=True)
    id_number_index = models.CharField(max_length=64, null=True, blank=True, unique=True)
    id_number_masked = models.CharField("身份证号", max_length=18, blank=True)
    phone_cipher = models.TextField(blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField("手机号", max_length=11, blank=True)
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="members", verbose_name="户"
    )
    relationship = models.CharField("与户主关系", max_length=20, blank=True)
    region = models.ForeignKey(
        "geo.Region", on_delete=models.PROTECT, related_name="persons", verbose_name="居住微网格"
    )
    status = models.CharField("居住状态", max_length=10, choices=Status.choices, default=Status.RESIDENT)
    address = models.CharField("住址", max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "人员"
        indexes = [models.Index(fields=["name"], name="person_name")]  # search by name

    def __str__(self) -> str:
        return self.name
