"""medspaCy's ConText over every .txt file of a folder, in one process (for peers.py).

spaCy's rule-based sentencizer, then ConText with its default English rules (negation,
uncertainty, hypothetical, historical, family cues and their scopes).
"""

import pathlib
import sys

import medspacy

nlp = medspacy.load(medspacy_enable=["medspacy_context"])
nlp.add_pipe("sentencizer", first=True)
modifiers = 0
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.txt")):
    doc = nlp(path.read_text(encoding="utf-8"))
    modifiers += len(doc._.context_graph.modifiers)
print(modifiers)
