"""Word-model weights, written by bench/train_summary_model.py (NeuS train); do not edit."""

BIAS = -2.7266
WEIGHTS = (
    0.1402,  # share
    0.5321,  # outlets_log
    2.4504,  # title_frac
    -0.0325,  # title_multi
    0.5540,  # title_only
    0.3328,  # lead_frac
    0.0988,  # lead_multi
    0.7835,  # tf_log
    0.7110,  # tf_per_outlet
    0.5655,  # name_frac
    0.8037,  # number
    -0.0247,  # first_pos
    -0.0310,  # first_sent
    0.0563,  # quote_frac
    0.3995,  # sent_frac
    0.5320,  # word_len
    -0.4622,  # share_x_title
    0.3895,  # ctx_share
    0.7122,  # ctx_title
    -1.2333,  # idf
)
