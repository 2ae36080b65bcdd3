from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import check_for_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language

from alliance.editing import TrackedCreateView, TrackedUpdateView, redirect_next
from alliance.history import ConcurrentEdit, edit_token, history_entries
from alliance.ordering import move_and_respond
from alliance.paging import page_of
from members import forms, permissions, selectors, services, workflow
from members.models import (
    Body,
    Membership,
    NominationRequest,
    Organisation,
    Person,
    User,
)


class SignInView(auth_views.LoginView):
    """Sign in, then show the pages in the language the user chose last time."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().language
        if language and check_for_language(language):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


@require_POST
def set_language_and_remember(request):
    """Django's language switch, which also stores the choice on the signed-in user."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(language):
        services.user_set_language(user=request.user, language=language)
    return response


# Organisations


@login_required
def organisation_list(request):
    permissions.require_reader(request.user)
    return render(
        request,
        "members/organisation_list.html",
        {
            "organisations": selectors.organisation_list(),
            "may_edit": permissions.can_edit_content(request.user),
        },
    )


@login_required
def organisation_detail(request, pk):
    permissions.require_reader(request.user)
    organisation = get_object_or_404(Organisation, pk=pk)
    return render(
        request,
        "members/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": selectors.memberships_of_organisation(
                organisation=organisation
            ),
            "history": history_entries(organisation),
            "may_edit": permissions.can_edit_content(request.user),
        },
    )


class OrganisationCreateView(permissions.ContentAccessMixin, TrackedCreateView):
    model = Organisation
    form_class = forms.OrganisationForm
    form_title = gettext_lazy("Add an organisation")
    save_service = staticmethod(services.organisation_save)


class OrganisationUpdateView(permissions.ContentAccessMixin, TrackedUpdateView):
    model = Organisation
    form_class = forms.OrganisationForm
    form_title = gettext_lazy("Edit the organisation")
    save_service = staticmethod(services.organisation_save)


# Bodies and memberships


@login_required
def body_list(request):
    permissions.require_reader(request.user)
    return render(
        request,
        "members/body_list.html",
        {"bodies": selectors.body_list(on=timezone.localdate())},
    )


@login_required
def body_detail(request, pk):
    permissions.require_reader(request.user)
    body = get_object_or_404(Body, pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "members/body_detail.html",
        {
            "body": body,
            **_membership_table_context(request, body),
            "equality": selectors.equality_check(body=body, on=today),
            "replacements": selectors.replacements_of_body(body=body),
            "nomination_requests": selectors.nomination_requests_of_body(body=body),
            "history": history_entries(body),
            "may_edit": permissions.can_edit_content(request.user),
            "may_see_gender": permissions.can_see_gender(request.user),
        },
    )


def _membership_table_context(request, body):
    return {
        "body": body,
        "memberships": selectors.memberships_of_body(body=body),
        "may_edit": permissions.can_edit_content(request.user),
        "may_see_gender": permissions.can_see_gender(request.user),
    }


class BodyUpdateView(permissions.ContentAccessMixin, TrackedUpdateView):
    model = Body
    form_class = forms.BodyForm
    form_title = gettext_lazy("Edit the body")
    save_service = staticmethod(services.body_save)


class MembershipFormMixin(permissions.ContentAccessMixin):
    model = Membership
    form_class = forms.MembershipForm
    save_service = staticmethod(services.membership_save)

    def perform_save(self, form):
        membership = form.instance
        warning = selectors.equality_warning(
            membership=membership, on=max(timezone.localdate(), membership.start)
        )
        if warning and not form.cleaned_data.get("confirm_equality"):
            raise EqualityWarning(warning)
        return super().perform_save(form)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except EqualityWarning as warning:
            form.ask_to_confirm_equality()
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    warnings=[
                        _(
                            "After this change the gender balance rule would no "
                            "longer be met:"
                        ),
                        warning.check.statement,
                        _("Tick the box to save anyway."),
                    ],
                ),
                status=200 if self.request.htmx else 400,
            )


class EqualityWarning(Exception):
    def __init__(self, check):
        super().__init__(check.statement)
        self.check = check


class MembershipCreateView(MembershipFormMixin, TrackedCreateView):
    parent_model = Body
    parent_field = "body"
    form_title = gettext_lazy("Add a member")


class MembershipUpdateView(MembershipFormMixin, TrackedUpdateView):
    form_title = gettext_lazy("Edit the membership")


@login_required
def membership_detail(request, pk):
    permissions.require_reader(request.user)
    membership = get_object_or_404(
        Membership.objects.select_related(
            "body",
            "person",
            "organisation",
            "replaced_by__successor__person",
            "replacement_of__leaver__person",
            "nomination_request__organisation",
            "nomination_request__body",
        ),
        pk=pk,
    )
    return render(
        request,
        "members/membership_detail.html",
        {
            "membership": membership,
            "history": history_entries(membership),
            "may_edit": permissions.can_edit_content(request.user),
            "may_replace": permissions.can_replace_member(request.user, membership),
        },
    )


@login_required
def membership_replace(request, pk):
    """Replace a member from a day: the check of that day first, then the change."""
    permissions.require_reader(request.user)
    leaver = get_object_or_404(
        Membership.objects.select_related("body", "person", "organisation"), pk=pk
    )
    if not permissions.can_replace_members(request.user):
        raise PermissionDenied
    form = forms.ReplacementForm(
        request.POST or None,
        initial={"title": leaver.title, "edit_token": edit_token(leaver)},
    )
    checks = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if form.check_was_shown():
            try:
                services.membership_replace(
                    leaver=leaver,
                    successor=data["successor"],
                    on=data["on"],
                    title=data["title"],
                    nomination_reference=data["nomination_reference"],
                    token=data["edit_token"] or None,
                    by=request.user,
                )
            except ConcurrentEdit:
                form.add_error(
                    None,
                    ValidationError(
                        _(
                            "Someone else changed this membership after you opened "
                            "the form. Reload the page and try again."
                        ),
                        code="concurrent_edit",
                    ),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(leaver)s was replaced by %(successor)s.")
                    % {
                        "leaver": leaver.holder_name,
                        "successor": data["successor"].full_name,
                    },
                )
                return redirect_next(request, leaver.body)
        if not form.errors:
            checks = selectors.replacement_checks(
                leaver=leaver, successor=data["successor"], on=data["on"]
            )
            form.data = form.data.copy()
            form.data["checked"] = form.check_key()
    return render(
        request,
        "members/membership_replace.html",
        {"leaver": leaver, "form": form, "checks": checks},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def membership_move(request, pk, direction):
    permissions.require_reader(request.user)
    if not permissions.can_edit_content(request.user):
        raise PermissionDenied
    membership = get_object_or_404(Membership.objects.select_related("body"), pk=pk)
    return move_and_respond(
        request,
        direction=direction,
        move=lambda **kw: services.membership_move(membership=membership, **kw),
        list_template="members/membership_table.html",
        list_context=lambda: _membership_table_context(request, membership.body),
        fallback_url=membership.body.get_absolute_url(),
    )


# People


@login_required
def person_detail(request, pk):
    permissions.require_reader(request.user)
    person = get_object_or_404(Person, pk=pk)
    may_see_gender = permissions.can_see_gender(request.user)
    return render(
        request,
        "members/person_detail.html",
        {
            "person": person,
            "memberships": selectors.memberships_of_person(person=person),
            # The history holds the gender too, so only the secretariat sees it.
            "history": history_entries(person) if may_see_gender else [],
            "may_edit": permissions.can_edit_content(request.user),
            "may_see_gender": may_see_gender,
        },
    )


# Nomination requests


@login_required
def nomination_list(request):
    permissions.require_reader(request.user)
    status = request.GET.get("status", "")
    if status not in NominationRequest.Status.values:
        status = ""
    return render(
        request,
        "members/nominationrequest_list.html",
        {
            "nomination_requests": selectors.nomination_request_list(status=status),
            "status": status,
            "statuses": NominationRequest.Status.choices,
            "may_request": permissions.can_request_nominations(request.user),
        },
    )


@login_required
def nomination_detail(request, pk):
    permissions.require_reader(request.user)
    nomination_request = get_object_or_404(
        NominationRequest.objects.select_related(
            "body", "organisation", "nominee", "membership"
        ),
        pk=pk,
    )
    return render(
        request,
        "members/nominationrequest_detail.html",
        {
            "nomination_request": nomination_request,
            "status_changes": selectors.nomination_status_changes(
                nomination_request=nomination_request
            ),
            "moves": [
                {
                    "transition": transition,
                    "url": reverse(
                        f"members:{transition.name}", args=[nomination_request.pk]
                    ),
                }
                for transition in workflow.TRANSITIONS.allowed(
                    user=request.user, obj=nomination_request
                )
            ],
            "may_edit": (
                permissions.can_request_nominations(request.user)
                and nomination_request.status == NominationRequest.Status.SENT
            ),
            "history": history_entries(nomination_request),
        },
    )


class NominationAccessMixin:
    def may_enter(self) -> bool:
        return permissions.can_view_content(self.request.user)

    def may_view(self, obj) -> bool:
        return permissions.can_view_content(self.request.user)

    def may_change(self, obj) -> bool:
        return (
            permissions.can_request_nominations(self.request.user)
            and obj.status == NominationRequest.Status.SENT
        )

    def may_add(self, parent) -> bool:
        return permissions.can_request_nominations(self.request.user)


class NominationCreateView(NominationAccessMixin, TrackedCreateView):
    model = NominationRequest
    form_class = forms.NominationRequestForm
    form_title = gettext_lazy("Request a nomination")
    save_service = staticmethod(services.nomination_request_save)
    object_argument = "nomination_request"

    def get_initial(self):
        return {
            "body": self.request.GET.get("body"),
            "sent_on": timezone.localdate(),
        }


class NominationUpdateView(NominationAccessMixin, TrackedUpdateView):
    model = NominationRequest
    form_class = forms.NominationRequestForm
    form_title = gettext_lazy("Edit the nomination request")
    save_service = staticmethod(services.nomination_request_save)
    object_argument = "nomination_request"


def _nomination_for_move(request, pk) -> NominationRequest:
    """Return the request, refusing (403) a user who may make none of its moves."""
    permissions.require_reader(request.user)
    nomination_request = get_object_or_404(
        NominationRequest.objects.select_related("body", "organisation", "nominee"),
        pk=pk,
    )
    if not permissions.can_request_nominations(request.user):
        raise PermissionDenied
    return nomination_request


def _move_unavailable(request, nomination_request, transition):
    """Return to the request's page, saying why, when its status has no such move.

    Someone else may have made a step meanwhile: a refusal would not tell them so.
    """
    if transition.permits(user=request.user, obj=nomination_request):
        return None
    messages.error(
        request,
        _("This step is not possible while the request is %(status)s.")
        % {"status": nomination_request.get_status_display().lower()},
    )
    return redirect_next(request, nomination_request)


def _nomination_form_page(request, nomination_request, form, transition):
    return render(
        request,
        "members/nomination_move.html",
        {
            "nomination_request": nomination_request,
            "form": form,
            "transition": transition,
        },
        status=400 if form.errors else 200,
    )


@login_required
def nomination_record(request, pk):
    nomination_request = _nomination_for_move(request, pk)
    unavailable = _move_unavailable(
        request, nomination_request, workflow.NOMINATION_RECORD
    )
    if unavailable:
        return unavailable
    form = forms.NominationRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_record(
                nomination_request=nomination_request,
                **form.cleaned_data,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, workflow.NOMINATION_RECORD.done)
            return redirect_next(request, nomination_request)
    return _nomination_form_page(
        request, nomination_request, form, workflow.NOMINATION_RECORD
    )


@login_required
def nomination_appoint(request, pk):
    nomination_request = _nomination_for_move(request, pk)
    unavailable = _move_unavailable(
        request, nomination_request, workflow.NOMINATION_APPOINT
    )
    if unavailable:
        return unavailable
    form = forms.NominationAppointForm(
        request.POST or None,
        body=nomination_request.body,
        initial={"start": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.nomination_appoint(
                nomination_request=nomination_request,
                **form.cleaned_data,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, workflow.NOMINATION_APPOINT.done)
            return redirect_next(request, membership)
    return _nomination_form_page(
        request, nomination_request, form, workflow.NOMINATION_APPOINT
    )


@login_required
@require_POST
def nomination_withdraw(request, pk):
    nomination_request = _nomination_for_move(request, pk)
    try:
        services.nomination_withdraw(
            nomination_request=nomination_request, by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, workflow.NOMINATION_WITHDRAW.done)
    return redirect_next(request, nomination_request)


class PersonCreateView(permissions.ContentAccessMixin, TrackedCreateView):
    model = Person
    form_class = forms.PersonForm
    form_title = gettext_lazy("Add a person")
    save_service = staticmethod(services.person_save)


class PersonUpdateView(permissions.ContentAccessMixin, TrackedUpdateView):
    model = Person
    form_class = forms.PersonForm
    form_title = gettext_lazy("Edit the person")
    save_service = staticmethod(services.person_save)


# Accounts and roles (the chair)


def _require_account_manager(request):
    if not permissions.can_manage_accounts(request.user):
        raise PermissionDenied


@login_required
def account_list(request):
    _require_account_manager(request)
    labels = selectors.role_labels()
    accounts = list(selectors.account_list())
    for account in accounts:
        account.role_labels = [
            labels.get(group.name, group.name) for group in account.groups.all()
        ]
    return render(request, "members/account_list.html", {"accounts": accounts})


@login_required
def account_invite(request):
    _require_account_manager(request)
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.account_invite(
            **form.cleaned_data, by=request.user, request=request
        )
        messages.success(
            request,
            _("An invitation to set a password was sent to %(email)s.")
            % {"email": user.email},
        )
        return redirect_next(request, "members:account_list")
    return render(
        request,
        "members/account_invite.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def account_roles(request, pk):
    _require_account_manager(request)
    account = get_object_or_404(User, pk=pk)
    form = forms.RolesForm(
        request.POST or None, initial={"roles": account.groups.all()}
    )
    if request.method == "POST" and form.is_valid():
        services.account_set_roles(
            account=account,
            roles=form.cleaned_data["roles"],
            by=request.user,
            request=request,
        )
        messages.success(request, _("The roles were saved."))
        return redirect_next(request, "members:account_list")
    return render(
        request, "members/account_roles.html", {"account": account, "form": form}
    )


@login_required
@require_POST
def account_set_active(request, pk):
    _require_account_manager(request)
    account = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.account_set_active(
            account=account, active=active, by=request.user, request=request
        )
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The account was reactivated.")
            if active
            else _("The account was deactivated."),
        )
    return redirect_next(request, "members:account_list")


AUDIT_PAGE_SIZE = 100


@login_required
@require_safe
def audit_trail(request):
    """The chair's view of the audit trail, by person, kind and days; read only."""
    if not permissions.can_read_audit_trail(request.user):
        raise PermissionDenied
    form = forms.AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        events = selectors.audit_events().none()
    else:
        filters = form.cleaned_data if form.is_bound else {}
        events = selectors.audit_events(
            person=filters.get("person"),
            kind=filters.get("kind", ""),
            since=filters.get("since"),
            until=filters.get("until"),
        )
    paged = page_of(request, events, size=AUDIT_PAGE_SIZE)
    page = paged.page
    return render(
        request,
        "members/auditevent_list.html",
        {
            "form": form,
            "page": page,
            "query": paged.query,
            "retention_days": settings.AUDIT_RETENTION_DAYS,
        },
        status=400 if form.errors else 200,
    )


def privacy_notice(request):
    """The privacy notice is public: people read it before they get an account."""
    return render(request, "members/privacy.html")
