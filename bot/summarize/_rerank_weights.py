"""Reranker weights, written by bench/train_summary_model.py (NeuS train); do not edit."""

RERANK_WEIGHTS = (
    0.05453,  # value
    -0.02111,  # prob_sum
    0.15332,  # prob_mean
    0.07775,  # top_mass
    0.08760,  # f1_short
    0.02795,  # f1_long
    -0.02650,  # n_words
    -0.00960,  # three_bullets
    -0.00945,  # title_cov
    0.04642,  # consensus_cov
    -0.04433,  # consensus_share
    0.01218,  # numbers
    0.03036,  # redundancy
    0.01030,  # position
    -0.00062,  # has_lead
    -0.01500,  # compression
    0.02826,  # centrality
    0.00209,  # articles_used
    -0.00577,  # cost
    0.04439,  # stop_ratio
    0.01367,  # title_prec
    -0.01997,  # peer_prec
    0.00974,  # lead_cov
    0.37980,  # pseudo_f1
    0.06243,  # title_recall
)
