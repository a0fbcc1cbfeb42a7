"""The paper's figures (Liu et al. 2019, Tables 1-4), shown beside the miniature's results."""

import pandas as pd

PAPER_MASKING = pd.DataFrame(
    {"SQuAD 2.0 F1": [76.3, 78.3, 78.7], "MNLI-m": [84.3, 84.3, 84.0],
     "SST-2": [92.8, 92.5, 92.9]},
    index=["BERT-base (reported)", "static (reimplemented)", "dynamic"])
"""Liu et al. 2019, Table 1: static versus dynamic masking, BERT-base size."""

PAPER_FORMATS = pd.DataFrame(
    {"NSP": ["yes", "yes", "no", "no"], "SQuAD 1.1/2.0": ["90.4/78.7", "88.7/76.2",
                                                         "90.4/79.1", "90.6/79.7"],
     "MNLI-m": [84.0, 82.9, 84.7, 84.7], "SST-2": [92.9, 92.1, 92.5, 92.7],
     "RACE": [64.2, 63.0, 64.8, 65.6]},
    index=["SEGMENT-PAIR", "SENTENCE-PAIR", "FULL-SENTENCES", "DOC-SENTENCES"])
"""Liu et al. 2019, Table 2: input formats with and without next-sentence prediction."""

PAPER_BATCHES = pd.DataFrame(
    {"steps": ["1M", "125K", "31K"], "learning rate": [1e-4, 7e-4, 1e-3],
     "perplexity (held-out)": [3.99, 3.68, 3.77], "MNLI-m": [84.7, 85.2, 84.6],
     "SST-2": [92.7, 92.9, 92.8]},
    index=pd.Index([256, 2048, 8192], name="batch size"))
"""Liu et al. 2019, Table 3: the same number of sequences in bigger batches."""

PAPER_DATA = pd.DataFrame(
    {"data": ["16GB", "160GB", "160GB", "160GB"], "steps": ["100K", "100K", "300K", "500K"],
     "SQuAD 1.1/2.0": ["93.6/87.3", "94.0/87.7", "94.4/88.7", "94.6/89.4"],
     "MNLI-m": [89.0, 89.3, 90.0, 90.2], "SST-2": [95.3, 95.6, 96.1, 96.4]},
    index=["RoBERTa-large, books + wiki", "+ more data", "+ pretrain longer", "+ longer still"])
"""Liu et al. 2019, Table 4: more data and longer training (RoBERTa-large, batch 8K). Each row
adds to the one before: on SST-2, ten times the data alone is 95.3 -> 95.6; the rest of
96.4 comes from training longer on it."""
