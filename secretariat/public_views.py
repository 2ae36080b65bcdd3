"""The alliance's public page: open to anyone, in Finnish and Swedish.

It shows the appointment and the members, and of everything else only what the
secretariat has marked public; a document not public answers 404 to every request,
whatever its id or file, exactly as a document that does not exist.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from alliance.permissions import is_public_document
from alliance.uploads import download_response
from secretariat import selectors
from secretariat.publicity import document_get


def public_page(request):
    appointment = selectors.current_appointment()
    today = timezone.localdate()
    body = appointment.body if appointment else None
    return render(
        request,
        "secretariat/public_page.html",
        {
            "appointment": appointment,
            "tasks": (
                selectors.appointment_tasks(appointment=appointment)
                if appointment
                else []
            ),
            "members": selectors.public_members(body=body, day=today),
            "group": body.serves if body else None,
            "group_members": selectors.public_members(
                body=body.serves if body else None, day=today
            ),
            "themes": selectors.public_themes(),
            "meetings": selectors.public_meetings(day=today),
            "documents": selectors.public_documents(day=today),
        },
    )


def public_document_download(request, kind, pk, variant):
    """Hand out a public document's file; anything else is 404, never 403."""
    found = document_get(kind=kind, pk=pk)
    if found is None:
        raise Http404
    document_kind, document = found
    if not is_public_document(document, day=timezone.localdate()):
        raise Http404
    public_file = document_kind.public_file(document, variant)
    if public_file is None:
        raise Http404
    return download_response(
        public_file.file.open("rb"),
        filename=public_file.filename,
        content_type=public_file.content_type,
    )
