"""``hedgecheck lsp``: the checks in an editor, as a Language Server (needs hedgecheck[lsp]).

``positions`` maps the report's character offsets to LSP positions (0-based lines, columns in
the code units the client and server agreed on) and back; ``projects`` finds the
configuration that applies to a document and loads its rules once per version of the file;
``features`` is the pure mapping from a document's text to diagnostics, hovers and code
actions; ``server`` is the pygls server that feeds it what the editor sends. Only ``server``
talks to the editor; the rest can be tested without a process.
"""
