"""
test/lib/skref.py: scikit-learn references shared by the model-quality
oracle files.
"""
import numpy as np
import sklearn.metrics as skm


def sk_classification(kind, yt, yp):
    """scikit-learn's classification metrics of labels yt, yp ('text' labels
    compared as strings; 'bool' adds the class-true precision, recall, F1 and
    specificity, None otherwise).  Returns (metrics dict, the sorted labels,
    per-class (precision, recall, f1, support) arrays) for the caller's
    report format."""
    if kind == 'text':
        yt = np.array([str(x) for x in yt])
        yp = np.array([str(x) for x in yp])
    else:
        yt = np.array(yt)
        yp = np.array(yp)
    r = {'n': len(yt), 'n_classes': len(np.unique(np.concatenate([yt, yp])))}
    r['accuracy'] = skm.accuracy_score(yt, yp)
    r['balanced_accuracy'] = skm.balanced_accuracy_score(yt, yp)
    for avg in ('macro', 'weighted', 'micro'):
        p, rc, f, _ = skm.precision_recall_fscore_support(yt, yp, average=avg, zero_division=0)
        r['precision_' + avg], r['recall_' + avg], r['f1_' + avg] = p, rc, f
    r['matthews_corrcoef'] = skm.matthews_corrcoef(yt, yp)
    r['cohen_kappa'] = skm.cohen_kappa_score(yt, yp)
    if kind == 'bool':
        r['precision'] = skm.precision_score(yt, yp, zero_division=0)
        r['recall'] = skm.recall_score(yt, yp, zero_division=0)
        r['f1'] = skm.f1_score(yt, yp, zero_division=0)
        r['specificity'] = skm.recall_score(yt, yp, pos_label=False, zero_division=0)
    else:
        r['precision'] = r['recall'] = r['f1'] = r['specificity'] = None
    labs = np.unique(np.concatenate([yt, yp]))
    per_class = skm.precision_recall_fscore_support(yt, yp, labels=labs, average=None, zero_division=0)
    return r, labs, per_class[:4]
