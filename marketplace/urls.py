app_name = "marketplace"
urlpatterns: list = []
