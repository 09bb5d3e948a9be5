"""Reranker weights, written by bench/train_summary_model.py (NeuS train); do not edit."""

RERANK_WEIGHTS = (
    0.03736,  # value
    0.03832,  # prob_sum
    0.09991,  # prob_mean
    0.05998,  # top_mass
    0.05138,  # f1_short
    0.02423,  # f1_long
    0.05275,  # n_words
    -0.00797,  # three_bullets
    0.01922,  # title_cov
    0.05951,  # consensus_cov
    -0.00443,  # consensus_share
    0.01394,  # numbers
    0.03961,  # redundancy
    0.00556,  # position
    0.00049,  # has_lead
    -0.00962,  # compression
    0.04357,  # centrality
    0.00308,  # articles_used
    -0.00695,  # cost
    0.07819,  # stop_ratio
    0.03178,  # title_prec
    0.01114,  # peer_prec
    0.01090,  # lead_cov
)
