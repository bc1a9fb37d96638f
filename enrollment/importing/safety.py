"""Checks on an uploaded file before any parser touches it.

A size limit (``IMPORT_MAX_BYTES``), an XLSX opened as a zip first to refuse archives with too
many members, too much uncompressed data or a compression ratio typical of a zip bomb, and a
stored file name that never carries the client's path; no XML part of an XLSX may declare a
DTD (billion laughs, external entities). Every refusal is ``FileProblem`` with a
Chinese message.
"""
import re
import unicodedata
import uuid
import zipfile
import zlib
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings

from .readers import FileProblem

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_ZIP_MEMBERS = 200
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
ALLOWED_SUFFIXES = (".csv", ".xlsx")
PROLOG_LIMIT = 64 * 1024
ROOT_ELEMENT = re.compile(r"<[A-Za-z_]")  # the first element: the prolog (and any DTD) is over


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
            _check_members(archive)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError, NotImplementedError):
        raise FileProblem("无法读取 XLSX 文件：文件已损坏或不是 Excel 工作簿")


def _check_members(archive):
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise FileProblem(f"XLSX 文件包含的部件过多（{len(members)} 个），疑似异常文件，已拒绝")
    total = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        raise FileProblem("XLSX 文件解压后过大（疑似压缩炸弹），已拒绝")
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise FileProblem("无法读取 XLSX 文件：文件已损坏或不是 Excel 工作簿")
    if any(_declares_a_dtd(archive, member) for member in members):
        raise FileProblem("XLSX 文件包含文档类型定义（DTD），疑似恶意文件（实体扩展或外部实体），已拒绝")


def _declares_a_dtd(archive, member):
    """Whether an XML part of the workbook has a DTD (``<!DOCTYPE``, where entity expansion
    and external entities live). Excel never writes one. Only the prolog is read: a DTD must
    come before the root element."""
    if member.is_dir() or not member.filename.lower().endswith((".xml", ".rels", ".vml")):
        return False
    prolog = b""
    with archive.open(member) as stream:
        while len(prolog) < PROLOG_LIMIT:
            chunk = stream.read(8192)
            if not chunk:
                break
            prolog += chunk
            text = _as_text(prolog)
            if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
                return True
            if ROOT_ELEMENT.search(text):
                return False
    return len(prolog) >= PROLOG_LIMIT  # a prolog this long is no workbook's


def _as_text(data):
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[2:len(data) - len(data) % 2].decode(encoding, "replace")
    if data[:2] in (b"<\x00", b"\x00<"):  # UTF-16 without a BOM
        return data[:len(data) - len(data) % 2].decode("utf-16-le" if data[0] == 60 else "utf-16-be", "replace")
    return data.decode("utf-8", "replace")


def clean_name(client_name, default):
    """A client's file name made safe to show: its last path component only, NFC, no control
    or path characters, no leading or trailing spaces or dots. Returns ``(stem of at most 80
    characters, or default; lower-case suffix with its dot, or "")``."""
    name = PureWindowsPath(PurePosixPath(str(client_name or "")).name).name
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]", "_", name).strip(" .") or default
    stem, dot, suffix = name.rpartition(".")
    return stem[:80] or default, f".{suffix.lower()}" if dot else ""


def safe_name(client_name):
    """The file name to show and store: a clean name (``clean_name``) with a known suffix.
    Stored files get a random prefix on top of this."""
    stem, suffix = clean_name(client_name, "upload")
    if suffix not in ALLOWED_SUFFIXES:
        raise FileProblem("只接受 CSV 或 XLSX 文件")
    return stem + suffix


def storage_name(client_name):
    return f"{uuid.uuid4().hex[:12]}-{safe_name(client_name)}"
