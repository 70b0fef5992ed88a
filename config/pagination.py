"""The API's page size: 20 by default (PAGE_SIZE), up to 100 with ``?page_size=``.

A module of its own: DRF imports it while ``rest_framework.generics`` is still loading."""

from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100
