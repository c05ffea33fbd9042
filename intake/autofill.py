"""Browsers must not learn residents' data.

`autocomplete="off"` on every input of a form that takes a resident's data, notes, scores or
a search term. Chromium then keeps the value out of its form history (the profile's
"Web Data" file) and out of the form state it stores with the page for Back and for
session restore (the "Sessions" files). Set on the widgets, not in a template, so any
template pack or restyle renders it.
"""

from django import forms


def no_autofill(form: forms.BaseForm) -> None:
    """Mark every visible input of `form` autocomplete="off" (call at the end of __init__)."""
    for field in form.fields.values():
        if not field.widget.is_hidden:
            field.widget.attrs["autocomplete"] = "off"
