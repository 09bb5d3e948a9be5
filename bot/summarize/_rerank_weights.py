"""Reranker weights, written by bench/train_summary_model.py (NeuS train); do not edit."""

RERANK_WEIGHTS = (
    0.05450,  # value
    -0.04115,  # prob_sum
    0.14213,  # prob_mean
    0.07924,  # top_mass
    0.09062,  # f1_short
    0.02639,  # f1_long
    -0.00901,  # n_words
    -0.00919,  # three_bullets
    0.00093,  # title_cov
    0.05118,  # consensus_cov
    -0.04951,  # consensus_share
    0.01220,  # numbers
    0.04804,  # redundancy
    0.00741,  # position
    -0.00170,  # has_lead
    -0.01712,  # compression
    0.02461,  # centrality
    -0.00198,  # articles_used
    -0.00596,  # cost
    0.03382,  # stop_ratio
    0.00586,  # title_prec
    -0.02095,  # peer_prec
    0.01648,  # lead_cov
    0.30225,  # pseudo_f1
    0.02839,  # title_recall
    0.18280,  # pseudo_f1_others
)
