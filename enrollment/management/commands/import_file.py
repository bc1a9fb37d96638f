import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from enrollment.importing import report, services
from enrollment.importing.forms import list_date_problem
from enrollment.models import Area, ImportKind, Organisation


class Command(BaseCommand):
    help = "Import a partner list or enrollment extract; nothing is written if any row is bad."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("path")
        parser.add_argument("--county", required=True, help="6-digit county code")
        parser.add_argument("--organisation", help="code of the uploading school or provider")
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="validate as of this date")
        parser.add_argument("--list-date", type=datetime.date.fromisoformat, dest="list_date",
                            help="the day a partner's list describes (数据截至日期, YYYY-MM-DD; default: today)")

    def handle(self, *args, kind, path, county, organisation=None, today=None, list_date=None, **options):
        if list_date is not None:
            problem = list_date_problem(list_date, today or datetime.date.today())
            if problem:
                raise CommandError(problem)
        try:
            area = Area.objects.get(pk=county, level="county")
        except Area.DoesNotExist:
            raise CommandError(f"未知的县区代码：{county}")
        org = None
        if organisation:
            org = Organisation.objects.filter(county=area, code=organisation).first()
            if org is None:
                raise CommandError(f"{county} 没有代码为 {organisation} 的单位")
        batch, result, new = services.import_path(kind=kind, path=path, county=area, organisation=org, today=today,
                                                  list_date=list_date)
        if batch is None:
            for line in report.lines(result.errors):
                self.stderr.write(line)
            raise CommandError(f"{len(result.errors)} 处错误，共 {result.row_count} 行：未写入任何数据")
        if not new:
            self.stdout.write(f"该文件已于 {timezone.localtime(batch.imported_at):%Y-%m-%d %H:%M} 导入（批次 {batch.pk}），未做任何更改")
            return
        for column in result.unknown_columns:
            self.stdout.write(f"忽略未知列：{column}")
        counts = ", ".join(f"{k}={v}" for k, v in batch.counts.items() if k != "unknown_columns")
        self.stdout.write(f"已导入 {batch.original_name}（批次 {batch.pk}）：{counts}")
