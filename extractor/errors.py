"""Every error and warning the extractor raises, each with a code and a fix."""


class ExtractorError(ValueError):
    """An error the user can fix; the message names the cause and the fix."""


class _Messages(type):
    def __getattribute__(cls, code: str) -> str:  # noqa: N805 - metaclass
        message = type.__getattribute__(cls, code)
        if code.startswith("_"):
            return message
        return f"[{code}] {message}"


class Errors(metaclass=_Messages):
    E001 = "Asset '{path}' not found, neither as a path nor in {folder}. Check the file name in the config."
    E002 = "{path}, line {line}: invalid JSON ({msg}). Fix or remove that line."
    E003 = "Invalid release date '{value}': use an ISO date such as 2024-02-29."
    E004 = "Invalid issuer '{value}': use an ISO 3166-1 alpha-2 country code such as KR or US."
    E005 = "Input '{path}' does not exist. Check the path or quote the glob."
    E006 = "{path}, line {line}: the record has no text under the key '{key}'. Pass --text-key with the right field name."
    E007 = "{path}, line {line}: field '{key}' must be a string, got {type}."
    E009 = "{path}: cannot decode as UTF-8 ({msg}). Re-encode the file as UTF-8."
    E010 = "{path}, line {line}: {msg}"
    E011 = "Taxonomy '{path}' is invalid: {msg}"
    E012 = "Unknown theme id '{theme}' in {path}. Use one of the ids of the taxonomy."
    E013 = "{path}: id '{id}' occurs more than once; ids must be unique in a file."
    E014 = "Gold document '{id}' has no text and no --corpus record with that id. Pass --corpus with the source file."

    E015 = "Component '{component}' failed on this document ({error}). The batch goes on; please report the document."
    E016 = "Input '{path}' has an unsupported type. Use .txt, .md, .html, .htm, .csv, .json, .jsonl or .ndjson (each also as .gz), a folder, or - for stdin."
    E017 = "{path}: the CSV has no '{key}' column in its header row ({columns}). The first row must name the columns; pass --text-key with the name of the text column."
    E018 = "{path}, row {row} (line {line}): the row has no value for the column '{key}' ({count} fields, the header has {width}). Add the missing fields to that row."
    E019 = "{path}, row {row} (line {line}): {msg}. Quote fields that contain commas, quotes or line breaks, and double quotes inside quoted fields."
    E020 = "{path}: cannot read ({msg}). Check that the file is readable and, for .gz, a complete gzip file."

    E021 = "The document took longer than the time limit ({seconds} s) and was stopped. Raise --timeout-per-doc or report the document."
    E022 = "{path}: not read as text ({kind}). {fix}"
    E023 = "{path}: cannot decode as {encoding}, the encoding its byte-order mark declares ({msg}). Re-save the file as UTF-8."

    # Evaluation (extractor/evaluate.py, extractor/mentions_eval.py).
    E030 = "{where}: {what} has bad offsets {start}-{end} ({why}); it is left out of mention-level scores. Fix the offsets: 0 <= start <= end <= length of the text."
    E031 = "{where}: {item} is malformed ({value}); skipped. The gold 'spans' field is a list of objects such as {{\"start\": 0, \"end\": 4, \"label\": \"ORG\"}} with integer offsets and a label."
    E032 = "Invalid floor spec '{spec}': {msg}. Write key=value pairs separated by commas, values between 0 and 1, e.g. officials=0.9,officials_title=0.85; a key is a list name (its F1) or a score name such as {examples}."
    E033 = "The predictions and gold given to write_errors do not reproduce the report ({detail}). Pass the same predictions and gold that were scored."
    E034 = "Invalid {option} {value!r}: {fix}"

    # Conversion between annotation tools (extractor.convert)
    E040 = "Unknown annotation format '{name}'. Use one of: {formats}."
    E041 = "Cannot tell the format of '{path}' ({why}). Pass --from (or --to for the output) with one of: {formats}."
    E042 = "{path}: not a {format} file ({msg}). Check the file, or pass --from with its real format."
    E043 = "Unknown conversion option '{option}' for {formats}. Options these formats take: {known}."
    E044 = "{path}: {msg}"


class Warnings(metaclass=_Messages):
    W005 = "{id}: not extracted: {cause}"
    W001 = "release date unknown: years left as XXXX"
    W002 = "document is empty"
    W003 = "{id}: not in the predictions, scored as an empty prediction"
    W004 = "{id}: no record with that id in the corpus {path}; the gold record keeps no text. Check the ids or the --corpus path."
    W006 = "{path}: not valid UTF-8 ({where}); decoded as {encoding} ({how}). Check accented letters and quotes in the output, or re-encode the file as UTF-8."
    W010 = "{where}: {item} has the label '{label}', none of OFFICIAL, ORG, DATE, MONEY; it is scored under its own label, which no prediction uses. Rename the label if it means one of those."

    W020 = "{id}: {list} record '{name}' has no mention and does not occur in the text; kept in the document metadata ({where})."
    W021 = "{what} not kept in {format}: {why} ({count} document(s), first: {first})."
    W022 = "{id}: task {answer}; skipped."
    W023 = "{id}: span label '{label}' is none of {labels}; skipped. Pass labels={{'{label}': '<list name>'}} to map it."
    W024 = "{id}: {list} '{text}': {why}; the record is skipped. Give it a value in the source tool."
    W025 = "{id}: {msg}"
    W026 = "{id}: id seen before in this file; skipped, the first is kept."
    W027 = "{id}: no text; not written as {format} (span formats need the text). Pass corpus= with the texts."


def all_codes() -> dict[str, str]:
    """Every code and its message template, errors then warnings (for docs and ``extractor errors``)."""
    out = {}
    for cls in (Errors, Warnings):
        for name in sorted(vars(cls)):
            if name[:1] in "EW" and name[1:].isdigit():
                out[name] = type.__getattribute__(cls, name)
    return out
