
-- ===================================================================
-- Model quality (feat/quality): classification, scores, regression.
-- Semantics of scikit-learn 1.2.1 (zero_division = 0); see README.md.
-- ===================================================================

CREATE TYPE driftmon.classification_metrics_result AS (
  n bigint, n_classes int, accuracy float8, balanced_accuracy float8,
  precision_macro float8, recall_macro float8, f1_macro float8,
  precision_weighted float8, recall_weighted float8, f1_weighted float8,
  precision_micro float8, recall_micro float8, f1_micro float8,
  matthews_corrcoef float8, cohen_kappa float8,
  "precision" float8, recall float8, f1 float8, specificity float8,
  n_skipped bigint);
COMMENT ON TYPE driftmon.classification_metrics_result IS
  'Result of driftmon.classification_metrics: sklearn 1.2.1 metrics over the sorted union of labels (zero_division = 0); precision/recall/f1/specificity of the positive class (true) for boolean labels only';

CREATE TYPE driftmon.binary_metrics_result AS (
  n bigint, n_positive bigint, roc_auc float8, average_precision float8,
  log_loss float8, brier_score float8, accuracy float8, "precision" float8,
  recall float8, f1 float8, specificity float8, n_skipped bigint);
COMMENT ON TYPE driftmon.binary_metrics_result IS
  'Result of driftmon.binary_metrics: ranking metrics, probability metrics and the metrics at the threshold (score >= threshold predicts true)';

CREATE TYPE driftmon.regression_metrics_result AS (
  n bigint, mae float8, mse float8, rmse float8, mape float8, r2 float8,
  mean_error float8, max_error float8, n_skipped bigint);
COMMENT ON TYPE driftmon.regression_metrics_result IS
  'Result of driftmon.regression_metrics (mean_error = mean(y_pred - y_true))';

-- ----- the confusion summary type ----------------------------------

CREATE TYPE driftmon.confusion;

CREATE FUNCTION driftmon.confusion_in(cstring) RETURNS driftmon.confusion
AS 'MODULE_PATHNAME', 'dm_confusion_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.confusion_in(cstring) IS
  'Text input of driftmon.confusion (the JSON form written by confusion_out), fully validated';

CREATE FUNCTION driftmon.confusion_out(driftmon.confusion) RETURNS cstring
AS 'MODULE_PATHNAME', 'dm_confusion_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.confusion_out(driftmon.confusion) IS
  'Text output of driftmon.confusion: {"version":1,"kind":...,"skipped":...,"labels":[...],"cells":[[t,p,n],...]}';

CREATE FUNCTION driftmon.confusion_recv(internal) RETURNS driftmon.confusion
AS 'MODULE_PATHNAME', 'dm_confusion_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.confusion_recv(internal) IS
  'Binary input of driftmon.confusion (the versioned byte format), fully validated';

CREATE FUNCTION driftmon.confusion_send(driftmon.confusion) RETURNS bytea
AS 'MODULE_PATHNAME', 'dm_confusion_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.confusion_send(driftmon.confusion) IS
  'Binary output of driftmon.confusion (the versioned byte format)';

CREATE TYPE driftmon.confusion (
  INPUT = driftmon.confusion_in, OUTPUT = driftmon.confusion_out,
  RECEIVE = driftmon.confusion_recv, SEND = driftmon.confusion_send,
  INTERNALLENGTH = VARIABLE, ALIGNMENT = int4, STORAGE = extended);
COMMENT ON TYPE driftmon.confusion IS
  'Mergeable confusion-matrix summary (labels text, bigint or boolean); build with confusion_agg, merge with rollup';

-- ----- confusion aggregate support ---------------------------------

CREATE FUNCTION driftmon.dm_conf_trans(internal, text, text) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_conf_trans_text' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_conf_trans(internal, text, text) IS
  'Aggregate support: count one (y_true, y_pred) text pair';

CREATE FUNCTION driftmon.dm_conf_trans(internal, bigint, bigint) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_conf_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_conf_trans(internal, bigint, bigint) IS
  'Aggregate support: count one (y_true, y_pred) bigint pair';

CREATE FUNCTION driftmon.dm_conf_trans(internal, boolean, boolean) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_conf_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_conf_trans(internal, boolean, boolean) IS
  'Aggregate support: count one (y_true, y_pred) boolean pair';

CREATE FUNCTION driftmon.dm_conf_trans_rollup(internal, driftmon.confusion) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_conf_trans_rollup' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_conf_trans_rollup(internal, driftmon.confusion) IS
  'Aggregate support: merge one stored confusion summary';

CREATE FUNCTION driftmon.dm_conf_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_conf_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_conf_combine(internal, internal) IS
  'Aggregate support: merge two partial confusion states';

CREATE FUNCTION driftmon.dm_conf_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'dm_conf_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_conf_serialize(internal) IS
  'Aggregate support: confusion state to bytes (the driftmon.confusion format)';

CREATE FUNCTION driftmon.dm_conf_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_conf_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_conf_deserialize(bytea, internal) IS
  'Aggregate support: validated bytes to confusion state';

CREATE FUNCTION driftmon.dm_conf_final_confusion(internal) RETURNS driftmon.confusion
AS 'MODULE_PATHNAME', 'dm_conf_final_confusion' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_conf_final_confusion(internal) IS
  'Aggregate support: confusion state to a driftmon.confusion value';

CREATE FUNCTION driftmon.dm_conf_final_metrics(internal) RETURNS driftmon.classification_metrics_result
AS 'MODULE_PATHNAME', 'dm_conf_final_metrics' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_conf_final_metrics(internal) IS
  'Aggregate support: confusion state to classification metrics';

CREATE AGGREGATE driftmon.classification_metrics(y_true text, y_pred text) (
  SFUNC = driftmon.dm_conf_trans, STYPE = internal,
  FINALFUNC = driftmon.dm_conf_final_metrics,
  COMBINEFUNC = driftmon.dm_conf_combine, SERIALFUNC = driftmon.dm_conf_serialize,
  DESERIALFUNC = driftmon.dm_conf_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.classification_metrics(text, text) IS
  'Classification metrics of text labels as scikit-learn 1.2.1 (accuracy, balanced accuracy, P/R/F1 macro/weighted/micro, MCC, kappa)';

CREATE AGGREGATE driftmon.classification_metrics(y_true bigint, y_pred bigint) (
  SFUNC = driftmon.dm_conf_trans, STYPE = internal,
  FINALFUNC = driftmon.dm_conf_final_metrics,
  COMBINEFUNC = driftmon.dm_conf_combine, SERIALFUNC = driftmon.dm_conf_serialize,
  DESERIALFUNC = driftmon.dm_conf_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.classification_metrics(bigint, bigint) IS
  'Classification metrics of bigint labels as scikit-learn 1.2.1';

CREATE AGGREGATE driftmon.classification_metrics(y_true boolean, y_pred boolean) (
  SFUNC = driftmon.dm_conf_trans, STYPE = internal,
  FINALFUNC = driftmon.dm_conf_final_metrics,
  COMBINEFUNC = driftmon.dm_conf_combine, SERIALFUNC = driftmon.dm_conf_serialize,
  DESERIALFUNC = driftmon.dm_conf_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.classification_metrics(boolean, boolean) IS
  'Classification metrics of boolean labels as scikit-learn 1.2.1, plus precision/recall/f1/specificity of the class true';

CREATE AGGREGATE driftmon.confusion_agg(y_true text, y_pred text) (
  SFUNC = driftmon.dm_conf_trans, STYPE = internal,
  FINALFUNC = driftmon.dm_conf_final_confusion,
  COMBINEFUNC = driftmon.dm_conf_combine, SERIALFUNC = driftmon.dm_conf_serialize,
  DESERIALFUNC = driftmon.dm_conf_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.confusion_agg(text, text) IS
  'Confusion summary (driftmon.confusion) of text labels';

CREATE AGGREGATE driftmon.confusion_agg(y_true bigint, y_pred bigint) (
  SFUNC = driftmon.dm_conf_trans, STYPE = internal,
  FINALFUNC = driftmon.dm_conf_final_confusion,
  COMBINEFUNC = driftmon.dm_conf_combine, SERIALFUNC = driftmon.dm_conf_serialize,
  DESERIALFUNC = driftmon.dm_conf_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.confusion_agg(bigint, bigint) IS
  'Confusion summary (driftmon.confusion) of bigint labels';

CREATE AGGREGATE driftmon.confusion_agg(y_true boolean, y_pred boolean) (
  SFUNC = driftmon.dm_conf_trans, STYPE = internal,
  FINALFUNC = driftmon.dm_conf_final_confusion,
  COMBINEFUNC = driftmon.dm_conf_combine, SERIALFUNC = driftmon.dm_conf_serialize,
  DESERIALFUNC = driftmon.dm_conf_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.confusion_agg(boolean, boolean) IS
  'Confusion summary (driftmon.confusion) of boolean labels';

CREATE AGGREGATE driftmon.rollup(driftmon.confusion) (
  SFUNC = driftmon.dm_conf_trans_rollup, STYPE = internal,
  FINALFUNC = driftmon.dm_conf_final_confusion,
  COMBINEFUNC = driftmon.dm_conf_combine, SERIALFUNC = driftmon.dm_conf_serialize,
  DESERIALFUNC = driftmon.dm_conf_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.rollup(driftmon.confusion) IS
  'Merge confusion summaries (e.g. daily into weekly); all must have the same label kind';

-- ----- accessors -----------------------------------------------------

CREATE FUNCTION driftmon.classification_metrics(c driftmon.confusion)
RETURNS driftmon.classification_metrics_result
AS 'MODULE_PATHNAME', 'dm_confusion_metrics' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.classification_metrics(driftmon.confusion) IS
  'Classification metrics of a confusion summary';

CREATE FUNCTION driftmon.accuracy(c driftmon.confusion) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_confusion_accuracy' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.accuracy(driftmon.confusion) IS
  'Accuracy of a confusion summary (NULL when it counted no row)';

CREATE FUNCTION driftmon."precision"(c driftmon.confusion) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_confusion_prf_macro_p' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon."precision"(driftmon.confusion) IS
  'Macro-averaged precision of a confusion summary';

CREATE FUNCTION driftmon.recall(c driftmon.confusion) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_confusion_prf_macro_r' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.recall(driftmon.confusion) IS
  'Macro-averaged recall of a confusion summary';

CREATE FUNCTION driftmon.f1(c driftmon.confusion) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_confusion_prf_macro_f' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.f1(driftmon.confusion) IS
  'Macro-averaged F1 of a confusion summary';

CREATE FUNCTION driftmon."precision"(c driftmon.confusion, label text) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_confusion_prf_label_p' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon."precision"(driftmon.confusion, text) IS
  'Precision of one class (label as text; NULL when the label is absent)';

CREATE FUNCTION driftmon.recall(c driftmon.confusion, label text) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_confusion_prf_label_r' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.recall(driftmon.confusion, text) IS
  'Recall of one class (label as text; NULL when the label is absent)';

CREATE FUNCTION driftmon.f1(c driftmon.confusion, label text) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_confusion_prf_label_f' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.f1(driftmon.confusion, text) IS
  'F1 of one class (label as text; NULL when the label is absent)';

CREATE FUNCTION driftmon.classification_report(c driftmon.confusion,
  OUT label text, OUT "precision" float8, OUT recall float8, OUT f1 float8, OUT support bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'dm_confusion_report' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.classification_report(driftmon.confusion) IS
  'One row per class, then accuracy (f1 column), macro avg and weighted avg rows, as sklearn classification_report';

CREATE FUNCTION driftmon.confusion_matrix(c driftmon.confusion,
  OUT true_label text, OUT predicted_label text, OUT n bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'dm_confusion_matrix' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.confusion_matrix(driftmon.confusion) IS
  'The dense confusion matrix as (true_label, predicted_label, n) rows in label order, zeros included';

-- ----- scores and probabilities -------------------------------------

CREATE FUNCTION driftmon.dm_score_trans_rank(internal, float8, boolean) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_score_trans_rank' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_trans_rank(internal, float8, boolean) IS
  'Aggregate support: keep one score for roc_auc / average_precision';

CREATE FUNCTION driftmon.dm_score_trans_logloss(internal, float8, boolean) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_score_trans_logloss' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_trans_logloss(internal, float8, boolean) IS
  'Aggregate support: add one log loss term';

CREATE FUNCTION driftmon.dm_score_trans_brier(internal, float8, boolean) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_score_trans_brier' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_trans_brier(internal, float8, boolean) IS
  'Aggregate support: add one squared probability error';

CREATE FUNCTION driftmon.dm_score_trans_binary(internal, boolean, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_score_trans_binary' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_trans_binary(internal, boolean, float8, float8) IS
  'Aggregate support: one row of binary_metrics';

CREATE FUNCTION driftmon.dm_score_trans_binary(internal, boolean, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_score_trans_binary05' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_trans_binary(internal, boolean, float8) IS
  'Aggregate support: one row of binary_metrics at threshold 0.5';

CREATE FUNCTION driftmon.dm_score_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_score_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_combine(internal, internal) IS
  'Aggregate support: merge two partial score states';

CREATE FUNCTION driftmon.dm_score_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'dm_score_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_serialize(internal) IS
  'Aggregate support: score state to bytes';

CREATE FUNCTION driftmon.dm_score_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_score_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_deserialize(bytea, internal) IS
  'Aggregate support: validated bytes to score state';

CREATE FUNCTION driftmon.dm_score_final_auc(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_score_final_auc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_final_auc(internal) IS
  'Aggregate support: exact ROC AUC';

CREATE FUNCTION driftmon.dm_score_final_ap(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_score_final_ap' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_final_ap(internal) IS
  'Aggregate support: average precision';

CREATE FUNCTION driftmon.dm_score_final_logloss(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_score_final_logloss' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_final_logloss(internal) IS
  'Aggregate support: mean log loss';

CREATE FUNCTION driftmon.dm_score_final_brier(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_score_final_brier' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_final_brier(internal) IS
  'Aggregate support: Brier score';

CREATE FUNCTION driftmon.dm_score_final_binary(internal) RETURNS driftmon.binary_metrics_result
AS 'MODULE_PATHNAME', 'dm_score_final_binary' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_final_binary(internal) IS
  'Aggregate support: binary_metrics result';

CREATE AGGREGATE driftmon.roc_auc(score float8, label boolean) (
  SFUNC = driftmon.dm_score_trans_rank, STYPE = internal,
  FINALFUNC = driftmon.dm_score_final_auc,
  COMBINEFUNC = driftmon.dm_score_combine, SERIALFUNC = driftmon.dm_score_serialize,
  DESERIALFUNC = driftmon.dm_score_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.roc_auc(float8, boolean) IS
  'Exact ROC AUC, ties get half credit (sklearn roc_auc_score); NULL with a NOTICE when one class is present';

CREATE AGGREGATE driftmon.average_precision(score float8, label boolean) (
  SFUNC = driftmon.dm_score_trans_rank, STYPE = internal,
  FINALFUNC = driftmon.dm_score_final_ap,
  COMBINEFUNC = driftmon.dm_score_combine, SERIALFUNC = driftmon.dm_score_serialize,
  DESERIALFUNC = driftmon.dm_score_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.average_precision(float8, boolean) IS
  'Step-wise average precision (sklearn average_precision_score); NULL with a NOTICE when one class is present';

CREATE AGGREGATE driftmon.log_loss(probability float8, label boolean) (
  SFUNC = driftmon.dm_score_trans_logloss, STYPE = internal,
  FINALFUNC = driftmon.dm_score_final_logloss,
  COMBINEFUNC = driftmon.dm_score_combine, SERIALFUNC = driftmon.dm_score_serialize,
  DESERIALFUNC = driftmon.dm_score_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.log_loss(float8, boolean) IS
  'Mean log loss of P(label = true), clipped at float64 eps as sklearn 1.2.1';

CREATE AGGREGATE driftmon.brier_score(probability float8, label boolean) (
  SFUNC = driftmon.dm_score_trans_brier, STYPE = internal,
  FINALFUNC = driftmon.dm_score_final_brier,
  COMBINEFUNC = driftmon.dm_score_combine, SERIALFUNC = driftmon.dm_score_serialize,
  DESERIALFUNC = driftmon.dm_score_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.brier_score(float8, boolean) IS
  'Brier score: mean squared difference between P(label = true) and the label';

CREATE AGGREGATE driftmon.binary_metrics(label boolean, score float8, threshold float8) (
  SFUNC = driftmon.dm_score_trans_binary, STYPE = internal,
  FINALFUNC = driftmon.dm_score_final_binary,
  COMBINEFUNC = driftmon.dm_score_combine, SERIALFUNC = driftmon.dm_score_serialize,
  DESERIALFUNC = driftmon.dm_score_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.binary_metrics(boolean, float8, float8) IS
  'ROC AUC, average precision, log loss, Brier score and accuracy/precision/recall/f1/specificity at score >= threshold';

CREATE AGGREGATE driftmon.binary_metrics(label boolean, score float8) (
  SFUNC = driftmon.dm_score_trans_binary, STYPE = internal,
  FINALFUNC = driftmon.dm_score_final_binary,
  COMBINEFUNC = driftmon.dm_score_combine, SERIALFUNC = driftmon.dm_score_serialize,
  DESERIALFUNC = driftmon.dm_score_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.binary_metrics(boolean, float8) IS
  'binary_metrics at the default threshold 0.5';

-- ----- regression ------------------------------------------------------

CREATE FUNCTION driftmon.dm_reg_trans(internal, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_reg_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_reg_trans(internal, float8, float8) IS
  'Aggregate support: one (y_true, y_pred) row of regression_metrics';

CREATE FUNCTION driftmon.dm_reg_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_reg_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_reg_combine(internal, internal) IS
  'Aggregate support: merge two regression states (Chan update)';

CREATE FUNCTION driftmon.dm_reg_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'dm_reg_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_reg_serialize(internal) IS
  'Aggregate support: regression state to bytes';

CREATE FUNCTION driftmon.dm_reg_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_reg_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_reg_deserialize(bytea, internal) IS
  'Aggregate support: validated bytes to regression state';

CREATE FUNCTION driftmon.dm_reg_final(internal) RETURNS driftmon.regression_metrics_result
AS 'MODULE_PATHNAME', 'dm_reg_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_reg_final(internal) IS
  'Aggregate support: regression_metrics result';

CREATE AGGREGATE driftmon.regression_metrics(y_true float8, y_pred float8) (
  SFUNC = driftmon.dm_reg_trans, STYPE = internal,
  FINALFUNC = driftmon.dm_reg_final,
  COMBINEFUNC = driftmon.dm_reg_combine, SERIALFUNC = driftmon.dm_reg_serialize,
  DESERIALFUNC = driftmon.dm_reg_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.regression_metrics(float8, float8) IS
  'n, MAE, MSE, RMSE, MAPE, R2, mean error (y_pred - y_true), max error as scikit-learn 1.2.1; one pass, parallel';
