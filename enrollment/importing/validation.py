"""Row validation: every bad cell of every row is reported (row number, Chinese column header,
reason) before anything is written."""
import datetime
from dataclasses import dataclass, field

from ..registry.id_numbers import IdFacts
from .fields import CellError
from .layouts import Layout
from .readers import Formula, Table

# The reason column of the rejected-rows workbook (rejected.py): ignored when the corrected
# workbook is uploaded again.
REASON_HEADER = "错误原因"


@dataclass
class RowError:
    row: int
    column: str
    message: str
    value: str = ""  # the offending cell as the file has it

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message, "value": self.value}


def cell_text(value):
    """A parsed cell back as text, for the report (an ID number's digits, an ISO date)."""
    if value is None:
        return ""
    if isinstance(value, IdFacts):
        return value.number
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@dataclass
class Validated:
    rows: list = field(default_factory=list)  # clean dicts, each with "_row"
    errors: list = field(default_factory=list)  # RowError
    unknown_columns: list = field(default_factory=list)
    row_count: int = 0

    @property
    def ok(self):
        return not self.errors


def map_headers(layout: Layout, headers):
    """Column index per field name, the unknown headers, and the missing required headers."""
    by_header = {}
    for column in layout.columns:
        by_header[column.header] = column.name
        by_header[column.name.lower()] = column.name
    index, unknown = {}, []
    for position, header in enumerate(headers):
        name = by_header.get(header.strip().lower()) if header else None
        if name and name not in index:
            index[name] = position
        elif header and header.strip() != REASON_HEADER:
            unknown.append(header)
    missing = [c.header for c in layout.columns if c.required and c.name not in index]
    return index, unknown, missing


def validate(layout: Layout, table: Table, *, today=None, row_check=None, progress=None):
    """Parse and check every row. ``row_check(clean) -> [(column_name, message)]`` adds the
    checks of one layout across cells; ``progress(rows_done)`` is called now and then."""
    today = today or datetime.date.today()
    result = Validated()
    index, result.unknown_columns, missing = map_headers(layout, table.headers)
    if missing:
        result.errors.append(RowError(1, "、".join(missing), "缺少必需的列"))
        return result
    headers = {column.name: column.header for column in layout.columns}
    cells = [(column.name, column.required, column.parse, index.get(column.name)) for column in layout.columns]
    keys = [(spec,) if isinstance(spec, str) else tuple(spec) for spec in layout.key_columns]
    seen = {}
    for number, values in table.rows:
        result.row_count += 1
        clean, errors = _parse_row(cells, values, today)
        if not errors and row_check is not None:
            errors = [(name, message) for name, message in row_check(clean)]
        if not errors:
            errors = _duplicate(keys, clean, number, seen)
        for name, message in errors:
            position = index.get(name)
            value = values[position] if position is not None and position < len(values) else ""
            result.errors.append(RowError(number, headers.get(name, name), message, str(value)[:100]))
        if not errors:
            clean["_row"] = number
            result.rows.append(clean)
        if progress is not None and result.row_count % 2000 == 0:
            progress(result.row_count)
    if result.row_count == 0:
        result.errors.append(RowError(2, "", "文件没有数据行"))
    return result


def _parse_row(cells, values, today):
    """``cells``: (name, required, parser, position in the file or None) of every column of
    the layout. Runs once per cell of a file: kept lean."""
    clean, errors = {}, []
    width = len(values)
    for name, required, parse, position in cells:
        raw = values[position] if position is not None and position < width else ""
        if not raw:
            if required:
                errors.append((name, "必填项为空"))
            clean[name] = None
        elif isinstance(raw, Formula):
            errors.append((name, "单元格含公式，请改为数值后重新上传"))
        else:
            try:
                clean[name] = parse(raw, today=today)
            except CellError as error:
                errors.append((name, error.message))
    return clean, errors


def _key_value(value):
    return value.number if isinstance(value, IdFacts) else value


def _duplicate(keys, clean, number, seen):
    """``keys``: tuples of column names whose values may appear once in a file."""
    errors = []
    for names in keys:
        first = clean.get(names[0])
        if first is None:
            continue
        key = (names, _key_value(first), *(_key_value(clean.get(n)) for n in names[1:]))
        previous = seen.setdefault(key, number)
        if previous != number:
            errors.append((names[0], f"与第{previous}行重复"))
    return errors
