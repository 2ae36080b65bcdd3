"""Pages of the cities' theme proposals.

Anonymous users are sent to sign in; a signed-in user without a role gets 403; a
proposal the user may not see is 404 (through the visible queryset, whatever the id);
one they may see but not change is 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance.editing import TrackedCreateView, TrackedUpdateView, redirect_next
from alliance.history import history_entries
from alliance.paging import page_of
from alliance.uploads import download_response, uploaded_files
from members.permissions import organisations_acted_for
from themes.proposals import forms as proposal_forms
from themes.proposals import permissions, workflow
from themes.proposals import selectors as selectors
from themes.proposals import services as proposal_services
from themes.proposals.models import ProposalRound, ThemeProposal

QUEUE_PAGE_SIZE = 50


def _visible_proposal(request, pk) -> ThemeProposal:
    if not permissions.can_list_proposals(request.user):
        raise PermissionDenied
    return get_object_or_404(
        selectors.proposal_visible(user=request.user).select_related(
            "city", "theme", "author", "resulting_theme"
        ),
        pk=pk,
    )


def _round_context(request) -> dict:
    proposal_round = selectors.proposal_round_current()
    today = timezone.localdate()
    closing_date = proposal_round.closing_date
    return {
        "proposal_round": proposal_round,
        "submissions_open": selectors.proposal_submissions_open(
            proposal_round=proposal_round, today=today
        ),
        "closing_date_passed": closing_date is not None and today > closing_date,
        "may_set_closing_date": permissions.can_set_proposal_closing_date(request.user),
        "may_reopen_submissions": permissions.can_reopen_proposal_submissions(
            request.user
        ),
    }


@login_required
def proposal_list(request):
    if not permissions.can_list_proposals(request.user):
        raise PermissionDenied
    lists = selectors.proposal_list_for_user(user=request.user)
    # The own city's proposals are few; the other cities' ones grow with every round.
    others = page_of(request, lists["others"])
    return render(
        request,
        "theme_proposals/proposal_list.html",
        {
            "own_proposals": lists["own"],
            "other_proposals": others.page.object_list,
            "page": others.page,
            "query": others.query,
            "may_add": permissions.can_add_proposal(request.user),
            "may_review": permissions.can_review_proposals(request.user),
            **_round_context(request),
        },
    )


@login_required
def proposal_review_queue(request):
    if not permissions.can_review_proposals(request.user):
        raise PermissionDenied
    form = proposal_forms.ReviewQueueFilterForm(request.GET or None)
    queue = selectors.proposal_review_queue(filters=form.filters(), now=timezone.now())
    paged = page_of(request, queue, size=QUEUE_PAGE_SIZE)
    page = paged.page
    return render(
        request,
        "theme_proposals/proposal_review_queue.html",
        {
            "form": form,
            "page": page,
            "proposals": page.object_list,
            "query": paged.query,
            "now": timezone.now(),
        },
    )


def _detail_context(request, proposal, **forms) -> dict:
    user = request.user
    may_change = permissions.can_change_proposal(user, proposal)
    may_comment = permissions.can_comment_proposal(user, proposal)
    actions = [
        {
            "transition": transition,
            "form": proposal_forms.ProposalTransitionForm(
                transition=transition,
                proposal=proposal,
                auto_id=f"id_{transition.name}_%s",
            ),
        }
        for transition in workflow.TRANSITIONS.allowed(user=user, obj=proposal)
    ]
    return {
        "proposal": proposal,
        "steps": selectors.proposal_transitions(proposal=proposal),
        "comments": selectors.proposal_comments(proposal=proposal),
        "attachments": selectors.proposal_attachments(proposal=proposal),
        "history": history_entries(proposal),
        "actions": actions,
        "may_change": may_change,
        "may_comment": may_comment,
        "comment_form": forms.get("comment_form")
        or (proposal_forms.ProposalCommentForm() if may_comment else None),
        "attachment_form": forms.get("attachment_form")
        or (proposal_forms.ProposalAttachmentForm() if may_change else None),
        **_round_context(request),
    }


@login_required
def proposal_detail(request, pk):
    proposal = _visible_proposal(request, pk)
    return render(
        request,
        "theme_proposals/proposal_detail.html",
        _detail_context(request, proposal),
    )


class ProposalFormTemplates:
    # The project's form page, with the proposals' breadcrumbs and guidance.
    template_name = "theme_proposals/proposal_form.html"
    intro = None

    def may_enter(self) -> bool:
        return permissions.can_list_proposals(self.request.user)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("intro", self.intro)
        return super().get_context_data(**kwargs)


class ProposalCreateView(ProposalFormTemplates, TrackedCreateView):
    model = ThemeProposal
    form_class = proposal_forms.ProposalForm
    form_title = gettext_lazy("New theme proposal")
    save_service = staticmethod(proposal_services.proposal_create)
    intro = gettext_lazy(
        "A draft is visible only to your city's group until you submit it to the "
        "secretariat."
    )

    def may_add(self, parent) -> bool:
        return permissions.can_add_proposal(self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.cities = list(organisations_acted_for(self.request.user))
        kwargs["cities"] = self.cities
        kwargs["instance"] = ThemeProposal(
            city=self.cities[0] if len(self.cities) == 1 else None,
            author=self.request.user,
        )
        return kwargs

    def get_cancel_url(self):
        return self.next_url() or reverse("theme_proposals:proposal_list")

    def save_arguments(self, form):
        # A new proposal is made from its fields; it has no version to compare yet.
        return {
            "city": form.cleaned_data.get("city") or form.instance.city,
            **form.proposal_fields(),
        }


class ProposalUpdateView(ProposalFormTemplates, TrackedUpdateView):
    model = ThemeProposal
    form_class = proposal_forms.ProposalForm
    form_title = gettext_lazy("Edit the proposal")
    save_service = staticmethod(proposal_services.proposal_update)
    object_argument = "proposal"

    def may_view(self, obj) -> bool:
        return permissions.can_view_proposal(self.request.user, obj)

    def may_change(self, obj) -> bool:
        return permissions.can_change_proposal(self.request.user, obj)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("heading_detail", self.object.title)
        return super().get_context_data(**kwargs)

    def save_arguments(self, form):
        return {**super().save_arguments(form), **form.proposal_fields()}


def _refused(request, proposal, message=None):
    """Answer 403 with the reason and the proposal's present status."""
    return render(
        request,
        "theme_proposals/proposal_refused.html",
        {
            "proposal": proposal,
            "message": message
            or _("This step is not possible for you with the proposal as it is now."),
        },
        status=403,
    )


@login_required
def proposal_transition(request, pk, to_status):
    """Show the form of one step (GET) or take the step (POST)."""
    proposal = _visible_proposal(request, pk)
    if to_status not in ThemeProposal.Status.values:
        raise Http404
    transition = workflow.TRANSITIONS.find(source=proposal.status, target=to_status)
    if transition is None or not transition.permits(user=request.user, obj=proposal):
        return _refused(request, proposal)
    form_class = proposal_forms.transition_form_class(transition)
    data = request.POST if request.method == "POST" else None
    form = form_class(data, transition=transition, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            proposal_services.proposal_transition(
                proposal=proposal,
                to_status=to_status,
                by=request.user,
                note=form.cleaned_data["note"],
                **form.decision(),
            )
        except proposal_services.ProposalTransitionError as error:
            return _refused(request, proposal, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, transition.done)
            return redirect_next(request, proposal)
    return render(
        request,
        "theme_proposals/proposal_transition.html",
        {"proposal": proposal, "transition": transition, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _section_response(request, proposal, *, template, anchor, **forms):
    """Answer htmx with the section alone; a plain form post with the whole page."""
    if request.htmx:
        return render(request, template, _detail_context(request, proposal, **forms))
    if any(form.errors for form in forms.values()):
        return render(
            request,
            "theme_proposals/proposal_detail.html",
            _detail_context(request, proposal, **forms),
            status=400,
        )
    return redirect_next(request, proposal.get_absolute_url() + anchor)


@login_required
@require_POST
def proposal_comment_add(request, pk):
    proposal = _visible_proposal(request, pk)
    if not permissions.can_comment_proposal(request.user, proposal):
        raise PermissionDenied
    form = proposal_forms.ProposalCommentForm(request.POST)
    if form.is_valid():
        try:
            proposal_services.proposal_comment_add(
                proposal=proposal, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = proposal_forms.ProposalCommentForm()
            if not request.htmx:
                messages.success(request, _("The comment was added."))
    return _section_response(
        request,
        proposal,
        template="theme_proposals/proposal_comments.html",
        anchor="#comments",
        comment_form=form,
    )


@login_required
@require_POST
def proposal_attachment_add(request, pk):
    proposal = _visible_proposal(request, pk)
    if not permissions.can_change_proposal(request.user, proposal):
        raise PermissionDenied
    form = proposal_forms.ProposalAttachmentForm(request.POST, uploaded_files(request))
    if form.is_valid():
        try:
            proposal_services.proposal_attachment_add(
                proposal=proposal, upload=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            form = proposal_forms.ProposalAttachmentForm()
            if not request.htmx:
                messages.success(request, _("The file was attached."))
    return _section_response(
        request,
        proposal,
        template="theme_proposals/proposal_attachments.html",
        anchor="#attachments",
        attachment_form=form,
    )


@login_required
def proposal_attachment_download(request, pk, attachment_pk):
    proposal = _visible_proposal(request, pk)
    attachment = get_object_or_404(proposal.attachments, pk=attachment_pk)
    return download_response(
        attachment.file.open("rb"),
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def proposal_attachment_delete(request, pk, attachment_pk):
    proposal = _visible_proposal(request, pk)
    attachment = get_object_or_404(proposal.attachments, pk=attachment_pk)
    if not permissions.can_change_proposal(request.user, proposal):
        raise PermissionDenied
    proposal_services.proposal_attachment_delete(attachment=attachment, by=request.user)
    if not request.htmx:
        messages.success(request, _("The file was removed."))
    return _section_response(
        request,
        proposal,
        template="theme_proposals/proposal_attachments.html",
        anchor="#attachments",
    )


class ProposalRoundUpdateView(ProposalFormTemplates, TrackedUpdateView):
    model = ProposalRound
    form_class = proposal_forms.ProposalRoundForm
    form_title = gettext_lazy("Closing date of theme proposals")
    intro = gettext_lazy(
        "Cities can submit proposals until the end of this day. After it, a "
        "submission is refused unless the chair reopens submissions."
    )
    save_service = staticmethod(proposal_services.proposal_round_update)
    object_argument = "proposal_round"

    def get_object(self, queryset=None):
        return self.checked_object(selectors.proposal_round_current())

    def may_view(self, obj) -> bool:
        # The closing date is no secret: everyone signed in may know it exists.
        return True

    def may_change(self, obj) -> bool:
        return permissions.can_set_proposal_closing_date(self.request.user)

    def save_arguments(self, form):
        return {
            **super().save_arguments(form),
            "closing_date": form.cleaned_data["closing_date"],
        }


@login_required
@require_POST
def proposal_round_reopen(request):
    if not permissions.can_reopen_proposal_submissions(request.user):
        raise PermissionDenied
    reopened = request.POST.get("reopened") == "1"
    proposal_services.proposal_round_set_reopened(reopened=reopened, by=request.user)
    messages.success(
        request,
        _("Submissions after the closing date are allowed.")
        if reopened
        else _("Submissions after the closing date are refused again."),
    )
    return redirect_next(request, "theme_proposals:proposal_list")
