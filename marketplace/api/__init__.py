"""The REST API for programs (``/api/v1/``): input serializers validate, the services in
``marketplace.services`` write, output serializers render. What a user may see comes only from
``visible_to``; what they may change, from ``editable_by``."""
