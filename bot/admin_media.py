"""`subject-export --media DIR`: fetch the person's voice notes and photos from Telegram (getFile, then the
file itself), so the unit can hand them over with the export. Plain aiohttp, no aiogram (see bot/admin.py).
A file Telegram no longer has (or no token, or no network) is reported, never fatal: the zip lists them."""
from pathlib import Path

from bot.settings import Settings

TIMEOUT_SECONDS = 30
EXTENSIONS = {"voice": "ogg", "photo": "jpg"}


async def download(settings: Settings, items, folder: Path) -> tuple[int, int]:
    """(fetched, failed); each file is saved as <table>-<row id>-<n>.<ext>."""
    if not items:
        return 0, 0
    if not settings.has_valid_token:
        return 0, len(items)
    import aiohttp

    folder.mkdir(parents=True, exist_ok=True)
    base, token = settings.bot_api_base_url, settings.bot_token
    fetched = failed = 0
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)) as http:
        for n, item in enumerate(items, start=1):
            try:
                async with http.get(f"{base}/bot{token}/getFile", params={"file_id": item.file_id}) as response:
                    payload = await response.json(content_type=None)
                path = payload.get("result", {}).get("file_path") if payload.get("ok") else None
                if not path:
                    failed += 1
                    continue
                async with http.get(f"{base}/file/bot{token}/{path}") as response:
                    if response.status != 200:
                        failed += 1
                        continue
                    data = await response.read()
            except (TimeoutError, aiohttp.ClientError, OSError, ValueError, AttributeError):
                failed += 1
                continue
            (folder / f"{item.table}-{item.row_id}-{n}.{EXTENSIONS.get(item.kind, 'bin')}").write_bytes(data)
            fetched += 1
    return fetched, failed
