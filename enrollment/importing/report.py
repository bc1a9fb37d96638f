"""The validation report as text lines (the command prints the same lines the page shows)."""


def error_line(row, column, message, value=""):
    place = f"第{row}行" if row else "文件"
    line = f"{place}　{column}：{message}" if column else f"{place}：{message}"
    return f"{line}（填写内容：{value}）" if value else line


def lines(errors):
    for error in errors:
        if hasattr(error, "as_dict"):
            error = error.as_dict()
        yield error_line(error["row"], error["column"], error["message"], error.get("value", ""))
