"""The optional attachment of a change request: a PDF or an image, checked by its first bytes
as well as its name, kept under a random name outside the served files."""
import uuid

from django.core.files import File

from ..importing.safety import clean_name

MAX_BYTES = 5 * 1024 * 1024
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


class AttachmentProblem(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def check_attachment(uploaded):
    """The shown name of an acceptable attachment, or ``AttachmentProblem``."""
    name = str(uploaded.name or "")
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in SIGNATURES:
        raise AttachmentProblem("附件只接受 PDF、JPG 或 PNG 文件")
    if uploaded.size > MAX_BYTES:
        raise AttachmentProblem("附件过大，最大允许 5 MB")
    if uploaded.size == 0:
        raise AttachmentProblem("附件为空")
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if not any(head.startswith(signature) for signature in SIGNATURES[suffix]):
        raise AttachmentProblem("附件内容与文件类型不符")
    return clean_name(name, "attachment")[0] + suffix  # shown, never stored


def store_attachment(change, uploaded):
    """Check ``uploaded`` and put it on ``change`` (not saved): stored under a random name."""
    shown = check_attachment(uploaded)
    stored = uuid.uuid4().hex + "." + shown.rsplit(".", 1)[1]
    change.attachment.save(stored, File(uploaded, name=stored), save=False)
    change.attachment_name = shown[:120]
