"""The proposal for the cooperation model: its page and the editing of its text."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance.editing import TrackedCreateView, TrackedUpdateView
from alliance.history import history_entries
from alliance.markdown import markdown_html
from alliance.ordering import move_and_respond
from secretariat import forms, permissions, selectors, services
from secretariat.models import (
    PROPOSAL_TEXT_MAX_LENGTH,
    ModelProposal,
    ProposalSection,
)

# The page's sections are <h2>; a '#' in a section's text becomes an <h3>.
SECTION_LEVEL = 2
# The largest primary key the database takes: a larger one in a URL is simply absent.
_PK_MAX = 2**63 - 1


def _proposal_or_404():
    proposal = selectors.proposal_current()
    if proposal is None:
        raise Http404
    return proposal


def _require_viewer(user) -> None:
    if not permissions.can_view_proposal(user):
        raise PermissionDenied


def _require_editor(user) -> None:
    _require_viewer(user)
    if not permissions.can_edit_proposal(user):
        raise PermissionDenied


def _section_or_404(pk: int) -> ProposalSection:
    if pk > _PK_MAX:
        raise Http404
    return get_object_or_404(ProposalSection.objects.select_related("proposal"), pk=pk)


def _sections_context(request, proposal) -> dict:
    return {
        "proposal": proposal,
        "sections": selectors.proposal_sections(proposal=proposal),
        "counts": selectors.proposal_model_counts(),
        "may_edit": permissions.can_edit_proposal(request.user),
        "section_level": SECTION_LEVEL,
    }


@login_required
def proposal_detail(request):
    _require_viewer(request.user)
    proposal = _proposal_or_404()
    return render(
        request,
        "secretariat/proposal_detail.html",
        {
            **_sections_context(request, proposal),
            "appointment": proposal.appointment,
            "history": history_entries(proposal),
        },
    )


@login_required
def proposal_section_detail(request, pk):
    """One section with its history, for every role."""
    _require_viewer(request.user)
    section = _section_or_404(pk)
    return render(
        request,
        "secretariat/proposal_section_detail.html",
        {
            "section": section,
            "counts": selectors.proposal_model_counts(),
            "history": history_entries(section),
            "may_edit": permissions.can_edit_proposal(request.user),
        },
    )


class ProposalAccessMixin:
    """Every role reads the proposal; the secretariat writes it."""

    def may_enter(self) -> bool:
        return permissions.can_view_proposal(self.request.user)

    def may_view(self, obj) -> bool:
        return permissions.can_view_proposal(self.request.user)

    def may_change(self, obj) -> bool:
        return permissions.can_edit_proposal(self.request.user)

    def may_add(self, parent) -> bool:
        return permissions.can_edit_proposal(self.request.user)


class ProposalUpdateView(ProposalAccessMixin, TrackedUpdateView):
    model = ModelProposal
    form_class = forms.ProposalForm
    form_title = gettext_lazy("Edit the title and summaries")
    save_service = staticmethod(services.proposal_save)
    object_argument = "proposal"

    def get_object(self, queryset=None):
        return self.checked_object(_proposal_or_404())


class SectionEditorMixin(ProposalAccessMixin):
    """The Markdown editor with its preview, its syntax help and its history."""

    model = ProposalSection
    form_class = forms.ProposalSectionForm
    template_name = "secretariat/proposal_section_form.html"
    partial_template_name = "secretariat/proposal_section_editor.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # What the editor holds: the saved text, or the text just posted.
        text = context["form"]["body"].value() or ""
        context.setdefault("preview", markdown_html(text, section_level=SECTION_LEVEL))
        return context

    def get_cancel_url(self):
        return self.next_url() or reverse("secretariat:proposal")


class ProposalSectionUpdateView(SectionEditorMixin, TrackedUpdateView):
    form_title = gettext_lazy("Edit the section")
    save_service = staticmethod(services.section_save)
    object_argument = "section"

    def get_object(self, queryset=None):
        return self.checked_object(_section_or_404(self.kwargs["pk"]))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("history", history_entries(self.object))
        kwargs.setdefault("section", self.object)
        return super().get_context_data(**kwargs)


class ProposalSectionCreateView(SectionEditorMixin, TrackedCreateView):
    form_title = gettext_lazy("Add a section")
    save_service = staticmethod(services.section_add)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = ProposalSection(
            proposal=_proposal_or_404(), kind=ProposalSection.Kind.OWN
        )
        return kwargs

    def save_arguments(self, form) -> dict:
        return {
            "proposal": form.instance.proposal,
            "title": form.cleaned_data["title"],
            "body": form.cleaned_data["body"],
        }


@login_required
@require_POST
def proposal_preview(request):
    """Return the posted Markdown as the HTML the page will show (htmx)."""
    _require_editor(request.user)
    text = request.POST.get("body", "")
    if len(text) > PROPOSAL_TEXT_MAX_LENGTH:
        return HttpResponseBadRequest(
            _("The text is too long: at most %(limit)s characters.")
            % {"limit": PROPOSAL_TEXT_MAX_LENGTH}
        )
    html = markdown_html(text, section_level=SECTION_LEVEL)
    if not html.strip():
        return HttpResponse(
            format_html('<p class="field__help">{}</p>', _("Nothing to preview yet."))
        )
    # Safe: markdown_html escapes raw HTML and cleans the result with an allow-list.
    return HttpResponse(html)


@login_required
@require_POST
def proposal_section_move(request, pk, direction):
    _require_editor(request.user)
    section = _section_or_404(pk)
    return move_and_respond(
        request,
        direction=direction,
        move=lambda **kw: services.section_move(section=section, **kw),
        list_template="secretariat/proposal_sections.html",
        list_context=lambda: _sections_context(request, section.proposal),
        fallback_url=reverse("secretariat:proposal") + f"#section-{section.pk}",
    )


@login_required
def proposal_section_remove(request, pk):
    """Ask, then remove a section the secretariat added (the task sections stay)."""
    _require_editor(request.user)
    section = _section_or_404(pk)
    errors = []
    if request.method == "POST":
        try:
            services.section_remove(section=section, by=request.user)
        except ValidationError as refusal:
            errors = refusal.messages
        else:
            messages.success(
                request,
                _("The section “%(title)s” was removed.") % {"title": section.title},
            )
            return redirect("secretariat:proposal")
    return render(
        request,
        "secretariat/proposal_section_remove.html",
        {
            "section": section,
            "removable": section.kind == ProposalSection.Kind.OWN,
            "errors": errors,
            "cancel_url": reverse("secretariat:proposal") + f"#section-{section.pk}",
        },
        status=400 if errors else 200,
    )
