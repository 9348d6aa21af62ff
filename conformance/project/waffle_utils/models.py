"""Mirrors of Open edX's course/org override models (app label `waffle_utils`), with the
fields of django-config-models' ConfigurationModel first, as in edx-platform."""
from django.conf import settings
from django.db import models


class ConfigurationModel(models.Model):
    change_date = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        editable=False,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enabled = models.BooleanField(default=False)

    class Meta:
        abstract = True
        ordering = ("-change_date",)


CHOICES = [("on", "Force On"), ("off", "Force Off")]


class WaffleFlagCourseOverrideModel(ConfigurationModel):
    waffle_flag = models.CharField(max_length=255, db_index=True)
    course_id = models.CharField(max_length=255, db_index=True)
    override_choice = models.CharField(choices=CHOICES, default="on", max_length=3)
    note = models.TextField(blank=True)


class WaffleFlagOrgOverrideModel(ConfigurationModel):
    waffle_flag = models.CharField(max_length=255, db_index=True)
    org = models.CharField(max_length=255, db_index=True)
    override_choice = models.CharField(choices=CHOICES, default="on", max_length=3)
    note = models.TextField(blank=True)

    class Meta(ConfigurationModel.Meta):
        indexes = [models.Index(fields=["org", "waffle_flag"], name="waffle_org_and_waffle_flag")]
