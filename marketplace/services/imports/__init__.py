from marketplace.services.imports.jobs import import_job_create, import_job_run, import_jobs_waiting
from marketplace.services.imports.loading import ImportResult, catalog_import
from marketplace.services.imports.parsing import ImportFileError, ImportPayload, parse_import_file
from marketplace.services.imports.rows import ImportValidationError, RowError
from marketplace.services.imports.template import import_template_xlsx

__all__ = [
    "ImportFileError",
    "ImportPayload",
    "ImportResult",
    "ImportValidationError",
    "RowError",
    "catalog_import",
    "import_job_create",
    "import_job_run",
    "import_jobs_waiting",
    "import_template_xlsx",
    "parse_import_file",
]
