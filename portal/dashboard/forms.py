"""Dashboard forms: the report filter (GET) and the labour office's estimate and target forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..services.coverage.periods import EARLIEST_PERIOD, Month, PeriodError, current_month
from ..services.reference.choices import official_categories, with_blank, worker_categories
from ..web.forms import BaseForm, QueryForm, UploadForm

MONTH_CHOICES = [("6", _l("6 months")), ("12", _l("12 months")), ("24", _l("24 months"))]


class FilterForm(QueryForm):
    """Period and kecamatan in the query string; unknown values get a message, not a 500."""

    period = StringField(
        _l("Period (month)"),
        validators=[Optional()],
        description=_l("The last month shown (e.g. 2026-03)"),
    )
    months = SelectField(_l("Months shown"), choices=MONTH_CHOICES, default="12")
    kecamatan = SelectField(_l("Kecamatan"), validate_choice=False, default="")

    def __init__(self, *args, kecamatans: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.kecamatan.choices = [("", _l("Whole city")), *kecamatans]

    def validate_kecamatan(self, field):
        if field.data and field.data not in {code for code, _ in field.choices}:
            raise ValidationError(_l("Unknown kecamatan: choose one from the list."))

    def validate_period(self, field):
        if not field.data:
            return
        try:
            month = Month.parse(field.data)
        except PeriodError:
            raise ValidationError(
                _l("Unknown period: write it as YYYY-MM, e.g. 2026-03.")
            ) from None
        if str(month) < EARLIEST_PERIOD or month > current_month():
            raise ValidationError(_l("The period must be between 2015-01 and the current month."))

    @property
    def end(self) -> Month:
        return Month.parse(self.period.data) if self.period.data else current_month()

    @property
    def month_count(self) -> int:
        return int(self.months.data or 12)


class EstimateForm(BaseForm):
    kecamatan_code = SelectField(_l("Kecamatan"), validate_choice=False)
    sector_code = SelectField(_l("Sector (optional)"), validate_choice=False, default="")
    category = SelectField(_l("Worker category (optional)"), validate_choice=False, default="")
    period = StringField(
        _l("From period"),
        validators=[InputRequired(), Length(max=7)],
        description=_l("The month this estimate applies from (e.g. 2026-03)"),
    )
    estimated_workforce = IntegerField(
        _l("Estimated workforce (people)"),
        validators=[InputRequired(), NumberRange(min=1, max=5_000_000)],
    )
    source = StringField(
        _l("Source"),
        validators=[Optional(), Length(max=200)],
        description=_l("For example: BPS Sakernas 2025, labour office survey"),
    )

    def __init__(self, *args, kecamatans, sectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.kecamatan_code.choices = [("", _l("Choose…")), *kecamatans]
        self.sector_code.choices = [("", _l("All sectors")), *sectors]
        self.category.choices = with_blank(worker_categories(), _l("All categories"))


class TargetForm(BaseForm):
    kecamatan_code = SelectField(_l("Kecamatan"), validate_choice=False, default="")
    period = StringField(
        _l("From period"),
        validators=[InputRequired(), Length(max=7)],
        description=_l("The month this target applies from (e.g. 2026-03)"),
    )
    target_pct = DecimalField(_l("Target coverage (%)"), places=2, validators=[InputRequired()])

    def __init__(self, *args, kecamatans, **kwargs):
        super().__init__(*args, **kwargs)
        self.kecamatan_code.choices = [("", _l("Whole city")), *kecamatans]


class OfficialCountForm(BaseForm):
    """One official count (BPJS): month, kecamatan, category, participants, source."""

    period = StringField(
        _l("Month"),
        validators=[InputRequired(), Length(max=7)],
        description=_l("This month or earlier (e.g. 2026-03)"),
    )
    kecamatan_code = SelectField(_l("Kecamatan"), validate_choice=False)
    category = SelectField(_l("Category"), validate_choice=False)
    active_participants = StringField(
        _l("Official active participants"), validators=[InputRequired(), Length(max=20)]
    )
    source_document = StringField(
        _l("Source document"),
        validators=[InputRequired(), Length(max=200)],
        description=_l("For example: Laporan kepesertaan aktif Kantor Cabang Singkawang, Mei 2026"),
    )
    replace = BooleanField(_l("Replace the count already recorded for this month"))

    def __init__(self, *args, kecamatans, **kwargs):
        super().__init__(*args, **kwargs)
        self.kecamatan_code.choices = [("", _l("Choose…")), *kecamatans]
        self.category.choices = with_blank(official_categories(), _l("Choose…"))


class OfficialUploadForm(UploadForm):
    source_document = StringField(
        _l("Source document"),
        validators=[InputRequired(), Length(max=200)],
        id="upload-source_document",  # the count form on the same page has its own
    )


class ConfirmOfficialUploadForm(BaseForm):
    replace = BooleanField(_l("Replace the counts already recorded for these months"))


class TargetYearForm(BaseForm):
    year = IntegerField(
        _l("Target year"), validators=[InputRequired(), NumberRange(min=2025, max=2100)]
    )
