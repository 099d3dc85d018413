from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from .fields import NipField, PhoneField
from .forms import BaseForm


def _password(label) -> PasswordField:
    return PasswordField(label, validators=[DataRequired(), Length(max=128)])


def _email() -> EmailField:
    return EmailField(
        _l("Email"),
        validators=[DataRequired(), Length(max=254), Email(message=_l("Enter a valid email."))],
    )


def _repeat(label, of: str) -> PasswordField:
    """The password typed again; it must equal the field named `of`."""
    return PasswordField(
        label, validators=[DataRequired(), EqualTo(of, message=_l("Passwords do not match."))]
    )


class LoginForm(BaseForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = _password(_l("Password"))
    submit = SubmitField(_l("Log in"))


class SignUpForm(BaseForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    email = _email()
    phone = PhoneField(
        _l("Mobile phone"),
        validators=[
            DataRequired(_l("Enter a mobile phone number: the offices reach owners by phone.")),
        ],
    )
    password = _password(_l("Password"))
    confirm = _repeat(_l("Repeat password"), "password")
    submit = SubmitField(_l("Create account"))


class ChangePasswordForm(BaseForm):
    current_password = _password(_l("Current password"))
    new_password = _password(_l("New password"))
    confirm = _repeat(_l("Repeat new password"), "new_password")
    submit = SubmitField(_l("Change password"))


class ForgotPasswordForm(BaseForm):
    email = _email()
    submit = SubmitField(_l("Send the link"))


class ResetPasswordForm(BaseForm):
    password = _password(_l("New password"))
    confirm = _repeat(_l("Repeat new password"), "password")
    submit = SubmitField(_l("Set the new password"))


class ProfileForm(BaseForm):
    nip = NipField(
        _l("NIP"),
        description=_l("18 digits, printed under your name on the letters you sign."),
    )
    submit = SubmitField(_l("Save"))
