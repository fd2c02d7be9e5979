-- test/bench/plpython.sql: the PL/Python way (what users do today without
-- driftmon): array_agg the column in SQL, then call scipy / scikit-learn.
-- Written as a good Python user would: numpy arrays, labels encoded once.
CREATE EXTENSION IF NOT EXISTS plpython3u;
CREATE SCHEMA IF NOT EXISTS bench;

CREATE OR REPLACE FUNCTION bench.py_ks(r float8[], c float8[]) RETURNS float8[]
LANGUAGE plpython3u AS $$
import numpy as np
from scipy import stats
res = stats.ks_2samp(np.asarray(r, dtype=float), np.asarray(c, dtype=float))
return [float(res.statistic), float(res.pvalue)]
$$;

CREATE OR REPLACE FUNCTION bench.py_psi(ref float8[], cur float8[]) RETURNS float8
LANGUAGE plpython3u AS $$
import numpy as np
r = np.asarray(ref, dtype=float); c = np.asarray(cur, dtype=float)
edges = np.unique(np.quantile(r, np.linspace(0, 1, 11)))
edges[0], edges[-1] = -np.inf, np.inf
pr = np.maximum(np.histogram(r, edges)[0] / len(r), 1e-4)
pc = np.maximum(np.histogram(c, edges)[0] / len(c), 1e-4)
return float(np.sum((pc - pr) * np.log(pc / pr)))
$$;

CREATE OR REPLACE FUNCTION bench.py_js(ref float8[], cur float8[]) RETURNS float8
LANGUAGE plpython3u AS $$
import numpy as np
from scipy.spatial import distance
r = np.asarray(ref, dtype=float); c = np.asarray(cur, dtype=float)
edges = np.unique(np.quantile(r, np.linspace(0, 1, 11)))
edges[0], edges[-1] = -np.inf, np.inf
return float(distance.jensenshannon(np.histogram(r, edges)[0], np.histogram(c, edges)[0], base=2) ** 2)
$$;

CREATE OR REPLACE FUNCTION bench.py_wasserstein(r float8[], c float8[]) RETURNS float8
LANGUAGE plpython3u AS $$
import numpy as np
from scipy import stats
return float(stats.wasserstein_distance(np.asarray(r, dtype=float), np.asarray(c, dtype=float)))
$$;

CREATE OR REPLACE FUNCTION bench.py_numeric_drift(ref float8[], cur float8[]) RETURNS float8[]
LANGUAGE plpython3u AS $$
import numpy as np
from scipy import stats
from scipy.spatial import distance
r = np.asarray(ref, dtype=float); c = np.asarray(cur, dtype=float)
ks = stats.ks_2samp(r, c)
w = stats.wasserstein_distance(r, c)
edges = np.unique(np.quantile(r, np.linspace(0, 1, 11)))
edges[0], edges[-1] = -np.inf, np.inf
hr = np.histogram(r, edges)[0]; hc = np.histogram(c, edges)[0]
pr = np.maximum(hr / len(r), 1e-4); pc = np.maximum(hc / len(c), 1e-4)
psi = np.sum((pc - pr) * np.log(pc / pr))
js = distance.jensenshannon(hr, hc, base=2) ** 2
qr = np.quantile(r, [0.05, 0.5, 0.95]); qc = np.quantile(c, [0.05, 0.5, 0.95])
return [float(x) for x in [ks.statistic, ks.pvalue, w, w / np.std(r), psi, js,
        r.mean(), c.mean(), r.std(ddof=1), c.std(ddof=1), r.min(), c.min(), r.max(), c.max(),
        *qr, *qc]]
$$;

CREATE OR REPLACE FUNCTION bench.py_chi2(ref text[], cur text[]) RETURNS float8[]
LANGUAGE plpython3u AS $$
import numpy as np
from scipy import stats
r = np.asarray(ref); c = np.asarray(cur)
cats, inv = np.unique(np.concatenate([r, c]), return_inverse=True)
table = np.vstack([np.bincount(inv[:len(r)], minlength=len(cats)),
                   np.bincount(inv[len(r):], minlength=len(cats))])
chi2, p, dof, _ = stats.chi2_contingency(table)
return [float(chi2), float(p), float(dof)]
$$;

CREATE OR REPLACE FUNCTION bench.py_classification(t text[], p text[]) RETURNS float8[]
LANGUAGE plpython3u AS $$
import numpy as np
from sklearn import metrics
labels, inv = np.unique(np.concatenate([np.asarray(t), np.asarray(p)]), return_inverse=True)
yt, yp = inv[:len(t)], inv[len(t):]
out = [metrics.accuracy_score(yt, yp), metrics.balanced_accuracy_score(yt, yp)]
for avg in ("macro", "weighted", "micro"):
    out += list(metrics.precision_recall_fscore_support(yt, yp, average=avg, zero_division=0)[:3])
out += [metrics.matthews_corrcoef(yt, yp), metrics.cohen_kappa_score(yt, yp)]
return [float(x) for x in out]
$$;

CREATE OR REPLACE FUNCTION bench.py_roc_auc(y boolean[], s float8[]) RETURNS float8
LANGUAGE plpython3u AS $$
import numpy as np
from sklearn import metrics
return float(metrics.roc_auc_score(np.asarray(y, dtype=bool), np.asarray(s, dtype=float)))
$$;

CREATE OR REPLACE FUNCTION bench.py_regression(y_true float8[], y_pred float8[]) RETURNS float8[]
LANGUAGE plpython3u AS $$
import numpy as np
from sklearn import metrics
y = np.asarray(y_true, dtype=float); yhat = np.asarray(y_pred, dtype=float)
return [float(x) for x in [metrics.mean_absolute_error(y, yhat), metrics.mean_squared_error(y, yhat),
        metrics.mean_squared_error(y, yhat, squared=False), metrics.mean_absolute_percentage_error(y, yhat),
        metrics.r2_score(y, yhat), float(np.mean(yhat - y)), metrics.max_error(y, yhat)]]
$$;
