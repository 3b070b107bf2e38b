"""`aligner align`: one mixed document, or a source and a target file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aligner.cli.common import (
    Dedupe,
    Device,
    DropUnaligned,
    EmbeddedRun,
    EnCode,
    Fast,
    MaxAlign,
    MinScore,
    Model,
    NoRepair,
    OutputFormat,
    OutputTarget,
    Presegmented,
    Quiet,
    SrcLang,
    TgtLang,
    ToSimplified,
    ToTraditional,
    Types,
    ZhCode,
    check_outputs,
    export_options,
    pipeline_options,
    print_dropped,
    print_repairs,
    print_summary,
    run_reporting_errors,
    status,
    warn_if_nothing_written,
)
from aligner.cli.main import app
from aligner.config import AlignConfig, ExportOptions
from aligner.formats import check_destination, format_for, write_alignments


@app.command("align")
def align_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="INPUT", help="One mixed zh/en document, or SRC and TGT files."
        ),
    ],
    output: OutputTarget,
    output_format: OutputFormat = None,
    src_lang: SrcLang = None,
    tgt_lang: TgtLang = None,
    presegmented: Presegmented = False,
    model: Model = None,
    device: Device = "cpu",
    max_align: MaxAlign = AlignConfig.max_align,
    embedded_run: EmbeddedRun = AlignConfig.embedded_run,
    fast: Fast = False,
    min_score: MinScore = 0.0,
    types: Types = None,
    drop_unaligned: DropUnaligned = None,
    dedupe: Dedupe = False,
    zh_code: ZhCode = None,
    en_code: EnCode = ExportOptions.en_code,
    to_simplified: ToSimplified = False,
    to_traditional: ToTraditional = False,
    no_repair: NoRepair = None,
    report: Annotated[
        bool,
        typer.Option("--report", help="Print what cleaning repaired and what reading left out."),
    ] = False,
    glossary: Annotated[
        str | None,
        typer.Option(metavar="FILE", help="Also write a glossary of term pairs to this file."),
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Align one mixed document, or a source and a target file."""
    from aligner.embed import load_embedder
    from aligner.pipeline import align_inputs

    def run() -> None:
        check_outputs(inputs, [output, glossary] if glossary else [output])
        fmt = format_for(output, output_format)
        check_destination(fmt, output)
        export = export_options(min_score, types, drop_unaligned, dedupe, zh_code, en_code)
        if glossary:
            from aligner.formats import glossary_format

            glossary_format(glossary)
        options = pipeline_options(
            presegmented,
            src_lang,
            tgt_lang,
            max_align,
            embedded_run,
            fast,
            to_simplified,
            to_traditional,
            no_repair or [],
        )
        embedder = load_embedder(model, device)
        with status("Aligning…", quiet):
            document = align_inputs(list(inputs), embedder, options)
        if report:
            print_repairs(document.repairs)
            print_dropped(document.dropped)
        written = write_alignments([document.alignment], output, fmt, export)
        warn_if_nothing_written(written, document.alignment.beads)
        if glossary:
            from aligner.glossary import extract_glossary, write_glossary

            with status("Extracting terms…", quiet):
                write_glossary(extract_glossary([document.alignment], embedder), glossary)
        if not quiet:
            print_summary(document.alignment.beads, written, output)

    run_reporting_errors(run)
