"""What the site's forms share."""


def show_refusal(form, message: str, field: str | None = None) -> None:
    """Show a service's refusal next to the field it concerns, or above the form."""
    target = getattr(form, field, None) if field else None
    if target is not None:
        target.errors = [*target.errors, message]
    else:
        form.form_errors.append(message)
