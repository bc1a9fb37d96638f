"""The validation report as text lines (the command prints the same lines the page shows)."""


def error_line(row, column, message):
    place = f"第{row}行" if row else "文件"
    return f"{place}　{column}：{message}" if column else f"{place}：{message}"


def lines(errors):
    for error in errors:
        if hasattr(error, "as_dict"):
            error = error.as_dict()
        yield error_line(error["row"], error["column"], error["message"])
