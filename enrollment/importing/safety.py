"""Checks on an uploaded file before any parser touches it.

A size limit (``IMPORT_MAX_BYTES``), an XLSX opened as a zip first to refuse archives with too
many members, too much uncompressed data or a compression ratio typical of a zip bomb, and a
stored file name that never carries the client's path. Every refusal is ``FileProblem`` with a
Chinese message.
"""
import re
import unicodedata
import uuid
import zipfile
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings

from .readers import FileProblem

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_ZIP_MEMBERS = 200
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
ALLOWED_SUFFIXES = (".csv", ".xlsx")


def max_bytes():
    return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_size(size):
    limit = max_bytes()
    if size > limit:
        raise FileProblem(f"文件过大：{size // 1024 // 1024} MB，最大允许 {limit // 1024 // 1024} MB")
    if size == 0:
        raise FileProblem("文件为空")


def check_zip(path):
    """Refuse an XLSX whose zip is damaged or would unpack into far more than it weighs.
    ``path``: a file name or an open binary file."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise FileProblem("无法读取 XLSX 文件：文件已损坏或不是 Excel 工作簿")
    if len(members) > MAX_ZIP_MEMBERS:
        raise FileProblem(f"XLSX 文件包含的部件过多（{len(members)} 个），疑似异常文件，已拒绝")
    total = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        raise FileProblem("XLSX 文件解压后过大（疑似压缩炸弹），已拒绝")
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise FileProblem("无法读取 XLSX 文件：文件已损坏或不是 Excel 工作簿")


def safe_name(client_name):
    """The file name to show and store: the last path component only, no control or path
    characters, a known suffix kept. Stored files get a random prefix on top of this."""
    name = PureWindowsPath(PurePosixPath(str(client_name or "")).name).name
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]", "_", name).strip(" .") or "upload"
    stem, dot, suffix = name.rpartition(".")
    suffix = f".{suffix.lower()}" if dot else ""
    if suffix not in ALLOWED_SUFFIXES:
        raise FileProblem("只接受 CSV 或 XLSX 文件")
    return (stem[:80] or "upload") + suffix


def storage_name(client_name):
    return f"{uuid.uuid4().hex[:12]}-{safe_name(client_name)}"
