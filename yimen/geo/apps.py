from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "yimen.geo"
    label = "geo"
    verbose_name = "区划与网格"

    def ready(self) -> None:
        from yimen.core import audit

        audit.register_labels({"region_geometry": "绘制区划边界"})
