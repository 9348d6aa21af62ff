"""Mirror of Open edX's enrollment model (app label `student`, table
`student_courseenrollment`): the columns wafflectl reads for experiment bucketing."""
from django.conf import settings
from django.db import models


class CourseEnrollment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    course_id = models.CharField(max_length=255, db_index=True)
    created = models.DateTimeField(auto_now_add=True, null=True, db_index=True)
    is_active = models.BooleanField(default=True)
    mode = models.CharField(default="audit", max_length=100)

    class Meta:
        unique_together = (("user", "course_id"),)
