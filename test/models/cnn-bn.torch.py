# Reference values for test/models/cnn-bn.test.ts from PyTorch (Debian's python3-torch, run with
# /usr/bin/python3). Not run by the test suite; rerun by hand to regenerate the numbers.
# The zoo's cnn-bn written in PyTorch, every parameter and the input filled by a formula, in float64.
import json
import math
import torch
import torch.nn as nn

torch.set_default_dtype(torch.float64)
net = nn.Sequential(
    nn.Conv2d(1, 32, 3, bias=False), nn.MaxPool2d(2), nn.BatchNorm2d(32), nn.ReLU(),
    nn.Conv2d(32, 64, 3, bias=False), nn.MaxPool2d(2), nn.BatchNorm2d(64), nn.ReLU(),
    nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10),
)


def fill(shape, j, scale):
    n = math.prod(shape)
    return torch.tensor([scale * math.sin(0.37 * k + j) for k in range(n)]).reshape(shape)


with torch.no_grad():
    for j, (name, p) in enumerate(net.named_parameters()):
        scale = 1.0 if name.endswith('weight') and p.ndim == 1 else 0.1
        p.copy_(fill(p.shape, j, scale) + (1.0 if name.endswith('weight') and p.ndim == 1 else 0.0))
x = torch.tensor([math.cos(0.11 * k) * math.sin(0.013 * k) for k in range(3 * 784)]).reshape(3, 1, 28, 28)
net.train()
train_out = net(x)
net.eval()
eval_out = net(x)
print(json.dumps({
    'names': [n for n, _ in net.named_parameters()],
    'train': train_out.detach().flatten().tolist(),
    'runningMean2': net[2].running_mean[:4].tolist(),
    'runningVar6': net[6].running_var[:4].tolist(),
    'eval': eval_out.detach().flatten().tolist(),
}))
