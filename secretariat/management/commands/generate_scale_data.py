import time
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from secretariat.scale import SeedMissing, scale_data_generate


def _scale(text: str) -> Decimal:
    try:
        scale = Decimal(text)
    except InvalidOperation:
        scale = None
    if scale is None or not scale.is_finite() or scale <= 0:
        raise CommandError(
            f"The scale must be a positive decimal number, not {text!r}."
        )
    return scale


class Command(BaseCommand):
    help = (
        "Add synthetic data for benchmarks, linear in the scale: at 1, 60 themes, "
        "600 measures, 2000 milestones, 1000 indicators with 24 quarters of national "
        "and city values, 300 proposals and 100 meetings, with a history of edits. "
        "Needs the seed (bootstrap_alliance); the same seed number gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            required=True,
            help="How much data, a positive decimal (1 = the sizes above).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=0,
            help="Seed of the random numbers (default 0).",
        )

    def handle(self, *args, scale, seed, **options):
        scale = _scale(scale)
        started = time.monotonic()
        try:
            counts = scale_data_generate(scale=scale, seed_number=seed)
        except SeedMissing:
            raise CommandError(
                "The seed is not loaded: run `manage.py bootstrap_alliance` first."
            ) from None
        for kind, count in counts.items():
            self.stdout.write(f"  {kind}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic data at scale {scale} added in "
                f"{time.monotonic() - started:.1f} s."
            )
        )
