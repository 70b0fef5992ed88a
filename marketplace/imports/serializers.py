"""Import jobs over the API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from marketplace.models import (
    ImportJob,
)


class ImportJobInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The XLSX template, a CSV or a JSON file.")


class ImportRowErrorSerializer(serializers.Serializer):
    section = serializers.CharField(help_text="organizations, needs or capabilities.")
    row = serializers.IntegerField(help_text="The row or line in the file; 0 for the whole file.")
    ref = serializers.CharField(allow_null=True)
    field = serializers.CharField()
    message = serializers.CharField()


class ImportJobOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ImportJob.Status.choices)
    status_display = serializers.CharField()
    processed_rows = serializers.IntegerField()
    total_rows = serializers.IntegerField()
    progress_percent = serializers.IntegerField()
    errors: Any = ImportRowErrorSerializer(many=True)
    summary = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text='Rows written once the job succeeded: {"created": {section: n}, "updated": …}.',
    )
