"""Mirrors of Open edX's experiments models (app label `experiments`); `created`/`modified`
come first, as model_utils' TimeStampedModel puts them."""
from django.conf import settings
from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    created = models.DateTimeField(default=timezone.now, editable=False)
    modified = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True


class ExperimentData(TimeStampedModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, db_index=True, on_delete=models.CASCADE)
    experiment_id = models.PositiveSmallIntegerField(db_index=True)
    key = models.CharField(max_length=255)
    value = models.TextField()

    class Meta:
        unique_together = (("user", "experiment_id", "key"),)
        indexes = [models.Index(fields=["user", "experiment_id"], name="user_experiment_id_idx")]


class ExperimentKeyValue(TimeStampedModel):
    experiment_id = models.PositiveSmallIntegerField(db_index=True)
    key = models.CharField(max_length=255)
    value = models.TextField()

    class Meta:
        unique_together = (("experiment_id", "key"),)
