# Reference values for test/nn/loss-options.torch.test.ts, from PyTorch (Debian's python3-torch,
# run with /usr/bin/python3). Not run by the test suite; rerun by hand to regenerate the numbers.
import json
import torch
import torch.nn.functional as F
torch.set_default_dtype(torch.float64)
t = torch.tensor
x = t([[1.2, -0.3, 0.5], [0.1, 2.0, -1.1], [-0.7, 0.4, 0.9], [0.3, 0.3, -0.2], [1.5, -1.0, 0.0]])
y = t([0, 2, 1, -100, 2])
w = t([0.5, 2.0, 1.5])
lp = F.log_softmax(x, 1)
seg = t([[[0.2, -1.0, 0.4], [1.1, 0.3, -0.5], [-0.2, 0.8, 0.0]], [[0.9, 0.1, -0.3], [-0.6, 0.5, 1.2], [0.3, -0.4, 0.7]]])
segy = t([[0, 255, 2], [1, 1, 0]])
probs = t([[0.2, 0.5, 0.3], [1.0, 0.0, 0.0], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4], [0.0, 0.5, 0.5]])
logits = t([[0.5, -1.2], [2.0, 0.3], [-0.4, -2.2]])
targets = t([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
a1 = t([0.8, -0.1, 0.4, 1.3])
a2 = t([0.3, 0.5, 0.9, 1.0])
s = t([1.0, -1.0, 1.0, -1.0])
e1 = t([[1.0, 2.0, -0.5], [0.3, -0.7, 1.1], [0.0, 1.0, 1.0]])
e2 = t([[0.5, 1.5, 0.2], [-0.4, 0.9, 0.3], [1.0, 1.0, -1.0]])
es = t([1.0, -1.0, -1.0])
an = t([[0.1, 0.2, 0.3], [1.0, -1.0, 0.5]])
po = t([[0.4, 0.1, 0.0], [0.8, -0.6, 0.9]])
ne = t([[0.2, 0.5, 0.2], [1.2, -1.4, 0.1]])
out = {
  'crossEntropy weight': F.cross_entropy(x, y.clamp(min=0), weight=w).item(),
  'crossEntropy ignoreIndex default': F.cross_entropy(x, y).item(),
  'crossEntropy weight+ignoreIndex': F.cross_entropy(x, y, weight=w).item(),
  'crossEntropy weight+ignoreIndex+labelSmoothing': F.cross_entropy(x, y, weight=w, label_smoothing=0.2).item(),
  'crossEntropy weight+ignoreIndex+labelSmoothing none': F.cross_entropy(x, y, weight=w, label_smoothing=0.2, reduction='none').tolist(),
  'crossEntropy ignoreIndex 2 sum': F.cross_entropy(x, y.clamp(min=0), ignore_index=2, reduction='sum').item(),
  'crossEntropy probabilities weight+labelSmoothing': F.cross_entropy(x, probs, weight=w, label_smoothing=0.1).item(),
  'crossEntropy [N,C,d] weight ignoreIndex 255': F.cross_entropy(seg, segy, weight=w, ignore_index=255).item(),
  'nllLoss weight+ignoreIndex': F.nll_loss(lp, y, weight=w).item(),
  'nllLoss ignoreIndex 0 none': F.nll_loss(lp, y.clamp(min=0), ignore_index=0, reduction='none').tolist(),
  'bceWithLogits posWeight [C]': F.binary_cross_entropy_with_logits(logits, targets, pos_weight=t([3.0, 0.5])).item(),
  'bceWithLogits posWeight scalar + weight': F.binary_cross_entropy_with_logits(logits, targets, pos_weight=t(2.0), weight=t([1.0, 0.25])).item(),
  'marginRankingLoss default': F.margin_ranking_loss(a1, a2, s).item(),
  'marginRankingLoss margin 0.5 none': F.margin_ranking_loss(a1, a2, s, margin=0.5, reduction='none').tolist(),
  'cosineEmbeddingLoss default': F.cosine_embedding_loss(e1, e2, es).item(),
  'cosineEmbeddingLoss margin 0.3 none': F.cosine_embedding_loss(e1, e2, es, margin=0.3, reduction='none').tolist(),
  'tripletMarginLoss default': F.triplet_margin_loss(an, po, ne).item(),
  'tripletMarginLoss p1 swap margin 0.8 none': F.triplet_margin_loss(an, po, ne, p=1, swap=True, margin=0.8, reduction='none').tolist(),
  'tripletMarginLoss p3 sum': F.triplet_margin_loss(an, po, ne, p=3, margin=2.0, reduction='sum').item(),
}
print('torch', torch.__version__)
print(json.dumps(out, indent=1))
