"""Whether a document is public: one record for the documents of every app.

An app's row is a document when the secretariat's document kinds name its model; a
row without a record is not public. Reads go through this module, so that every page
asks the same question in the same way.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from alliance.editing import TrackedForm
from alliance.models import Publicity


def publicity_of(document: models.Model) -> Publicity:
    """Return the document's record, or an unsaved one (not public) if it has none."""
    content_type = ContentType.objects.get_for_model(document)
    found = Publicity.objects.filter(
        content_type=content_type, object_id=document.pk
    ).first()
    return found or Publicity(
        content_type=content_type, object_id=document.pk, status=""
    )


def publicities_by_document(model: type[models.Model]) -> dict[int, Publicity]:
    """Return the records of every document of `model` in one query, by its pk."""
    return {
        record.object_id: record
        for record in Publicity.objects.filter(
            content_type=ContentType.objects.get_for_model(model)
        )
    }


def public_ids(*, model: type[models.Model], day) -> set[int]:
    """Return the pks of the rows of `model` that the public may read on `day`."""
    return set(
        Publicity.objects.public_on(day)
        .filter(content_type=ContentType.objects.get_for_model(model))
        .values_list("object_id", flat=True)
    )


class PublicityForm(TrackedForm):
    class Meta:
        model = Publicity
        fields = ["status", "ground", "secret_until", "public_from", "public_event"]
