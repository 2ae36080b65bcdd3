"""Editing in the browser: the project's create and update views.

Each app's views subclass these and name their model, form, permission checks and the
service that writes (`save_service`). Every save records who and when (history) and is
refused when someone else saved the object after the form was opened; every redirect
after a form goes to its `next` only when that stays on this site.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, UpdateView
from django_htmx.http import HttpResponseClientRedirect

from alliance.forms import DateInput, ModelForm
from alliance.history import ConcurrentEdit, edit_token
from alliance.validators import has_control_characters


def safe_next(request) -> str | None:
    """Return the `next` address of the request when it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next")
    # Only a path: `redirect` would read a bare word such as "0" as a view name; a
    # control character would travel on in the Location header.
    if (
        target
        and target.startswith("/")
        and not has_control_characters(target)
        and url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        )
    ):
        return target
    return None


def redirect_next(request, fallback, *args) -> HttpResponseRedirect:
    """Redirect to the request's on-site `next`, else to `fallback`.

    `fallback` is what `redirect` takes: a URL, a view name with its `args`, or a model.
    """
    return HttpResponseRedirect(safe_next(request) or resolve_url(fallback, *args))


def conflict_show(form, saved) -> None:
    """Tell the form's user that someone saved first, and let the next save build on
    the newer version `saved`."""
    form.add_error(
        None,
        ValidationError(
            _(
                "Someone else saved this after you opened it. Your changes "
                "were not saved; their changes are shown below. Check them, "
                "then save again."
            ),
            code="concurrent_edit",
        ),
    )
    form.data = form.data.copy()
    form.data["edit_token"] = edit_token(saved)


class TrackedForm(ModelForm):
    """A model form that remembers which version of the object it was opened on.

    `error_fields` maps the codes of the model's constraints across fields to the
    field a person would correct, so that the error is shown and announced there
    instead of above the form.
    """

    # The id of a history entry; anything else is refused as invalid, not a 500.
    edit_token = forms.RegexField(
        regex=r"^[0-9]{1,18}$", widget=forms.HiddenInput, required=False
    )
    error_fields: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_token"].initial = edit_token(self.instance)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()

    def _post_clean(self):
        super()._post_clean()
        # Here rather than in clean(), which a form may override without super().
        # A save without the version it was opened on would overwrite unseen changes.
        if (
            self.instance.pk is not None
            and "edit_token" not in self._errors
            and not self.cleaned_data.get("edit_token")
        ):
            self.add_error(
                None,
                ValidationError(
                    _(
                        "This form was sent without the version it was opened on, "
                        "so it could overwrite someone else's changes. Reload the "
                        "page and make your changes again."
                    ),
                    code="missing_edit_token",
                ),
            )
        if NON_FIELD_ERRORS in self._errors:
            errors = self._errors.pop(NON_FIELD_ERRORS).as_data()
            self.error_add(ValidationError(errors))

    def error_add(self, error: ValidationError) -> None:
        """Add an error (also one raised on saving) at the field its code names."""
        if hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for item in error.error_list:
            field = self.error_fields.get(item.code)
            self.add_error(field if field in self.fields else None, item)


class ObjectAccessMixin(LoginRequiredMixin):
    """Anonymous → sign-in; no role → 403; not visible → 404; read-only → 403."""

    def may_enter(self) -> bool:
        """May the signed-in user use this part of the app at all?"""
        return True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.may_enter():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def may_view(self, obj) -> bool:
        raise NotImplementedError

    def may_change(self, obj) -> bool:
        raise NotImplementedError

    def checked_object(self, obj):
        if not self.may_view(obj):
            raise Http404
        if not self.may_change(obj):
            raise PermissionDenied
        return obj


class TrackedFormMixin:
    """Save a form through the app's service, then return to `next` or the object.

    `save_service` (wrapped in `staticmethod`) is called as
    `save_service(<object_argument>=instance, token=..., by=user)`, where
    `object_argument` defaults to the model's name; a view whose service takes more
    extends `save_arguments`. A view without a service is a configuration error.
    """

    save_service = None
    object_argument = None
    # What the person is told after a save; by default "Saved: <the object>".
    success_message = None
    partial_template_name = "alliance/object_form_partial.html"
    inline_template_name = None
    form_title = gettext_lazy("Edit")

    def get_template_names(self):
        if self.request.htmx and self.partial_template_name:
            return [self.partial_template_name]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form_title", self.form_title)
        kwargs.setdefault("cancel_url", self.get_cancel_url())
        kwargs.setdefault("next_url", self.next_url() or "")
        kwargs.setdefault("inline_form", self.is_inline())
        return super().get_context_data(**kwargs)

    def is_inline(self) -> bool:
        """Is the form shown within another page (opened there by htmx)?

        Such a form takes a second-level heading, since the page has its own h1;
        it carries the fact in a hidden field through its own submissions.
        """
        if not self.request.htmx:
            return False
        return self.request.method == "GET" or self.request.POST.get("inline") == "1"

    def next_url(self) -> str | None:
        """Return where the form came from, if it is a page of this site."""
        return safe_next(self.request)

    def get_cancel_url(self):
        return self.next_url() or "/"

    @staticmethod
    def token(form) -> str | None:
        """Return the version of the object that the submitted form was opened on."""
        return form.cleaned_data.get("edit_token") or None

    def save_arguments(self, form) -> dict:
        """Return the keyword arguments of `save_service` other than `by`."""
        name = self.object_argument or self.model._meta.model_name
        return {name: form.instance, "token": self.token(form)}

    def perform_save(self, form):
        if self.save_service is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__} names no save_service to write its form."
            )
        return self.save_service(**self.save_arguments(form), by=self.request.user)

    def form_valid(self, form):
        created = form.instance.pk is None
        try:
            with transaction.atomic():
                self.object = self.perform_save(form)
        except ConcurrentEdit as conflict:
            conflict_show(form, form.instance)
            # htmx swaps only successful responses; the conflict must be seen.
            return self.render_to_response(
                self.get_context_data(form=form, conflict=conflict),
                status=200 if self.request.htmx else 409,
            )
        except ValidationError as error:
            if isinstance(form, TrackedForm):
                form.error_add(error)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        if self.request.htmx and self.inline_template_name:
            # The swapped row shows the saved values; a message would wait for the
            # next page and tell of a save long past.
            return self.response_class(
                request=self.request,
                template=[self.inline_template_name],
                context=self.get_inline_context(),
                using=self.template_engine,
            )
        messages.success(self.request, self.saved_message(created=created))
        if self.request.htmx:
            return HttpResponseClientRedirect(self.get_success_url())
        return HttpResponseRedirect(self.get_success_url())

    def saved_message(self, *, created: bool) -> str:
        if self.success_message:
            return str(self.success_message)
        if created:
            return _("Added: %(object)s") % {"object": self.object}
        return _("Saved: %(object)s") % {"object": self.object}

    def get_inline_context(self):
        return {"object": self.object, "request": self.request}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        # htmx swaps only successful responses by default; 200 keeps the errors shown.
        response.status_code = 200 if self.request.htmx else 400
        return response

    def get_success_url(self):
        return self.next_url() or self.object.get_absolute_url()


class TrackedUpdateView(ObjectAccessMixin, TrackedFormMixin, UpdateView):
    template_name = "alliance/object_form.html"

    def get_object(self, queryset=None):
        return self.checked_object(super().get_object(queryset))

    def get_cancel_url(self):
        return self.next_url() or self.object.get_absolute_url()


class TrackedCreateView(ObjectAccessMixin, TrackedFormMixin, CreateView):
    """Create a row, optionally under a parent named in the URL."""

    template_name = "alliance/object_form.html"
    parent_model = None
    parent_field = None
    form_title = gettext_lazy("Add")

    def may_add(self, parent) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.may_enter():
            raise PermissionDenied
        self.parent = None
        if self.parent_model is not None:
            self.parent = get_object_or_404(self.parent_model, pk=kwargs["parent_pk"])
            if not self.may_view(self.parent):
                raise Http404
        if not self.may_add(self.parent):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.parent is not None:
            kwargs["instance"] = self.model(**{self.parent_field: self.parent})
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("parent", self.parent)
        return super().get_context_data(**kwargs)

    def get_cancel_url(self):
        if self.next_url():
            return self.next_url()
        if self.parent is not None:
            return self.parent.get_absolute_url()
        return "/"
