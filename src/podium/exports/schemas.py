from ninja import Schema

__all__ = ["ExportOut"]


class ExportOut(Schema):
    key: str
    label: str
    description: str
    url: str
