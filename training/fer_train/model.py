"""The FerBatch emotion CNN: a VGG-style network with batch norm, sized for 48x48 faces."""
import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

# Pixel statistics of the FER2013 Training split (values in [0,1]); baked into the ONNX graph.
PIXEL_MEAN = 0.5077
PIXEL_STD = 0.2550


def _conv_bn(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class FerVgg(nn.Module):
    """Four stages of two 3x3 convolutions (widths w, 2w, 4w, 8w), each halving the resolution,
    then a small fully connected head on the 3x3 map: spatial layout (eyes vs mouth) matters."""

    def __init__(self, width=32, convs_per_stage=2, hidden=256, dropout=0.4, classes=7):
        super().__init__()
        layers, cin = [], 1
        for stage in range(4):
            cout = width * (2 ** stage)
            for _ in range(convs_per_stage):
                layers.append(_conv_bn(cin, cout))
                cin = cout
            layers.append(nn.MaxPool2d(2))
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(
            nn.Flatten(), nn.Dropout(dropout), nn.Linear(cin * 9, hidden, bias=False), nn.BatchNorm1d(hidden),
            nn.ReLU(inplace=True), nn.Dropout(dropout), nn.Linear(hidden, classes))

    def forward(self, x):
        return self.head(self.features(x))


ARCHITECTURES = {
    "vgg-s": dict(width=32, convs_per_stage=2, hidden=256),
    "vgg-m": dict(width=48, convs_per_stage=2, hidden=384),
    "vgg-l": dict(width=64, convs_per_stage=2, hidden=512),
    "vgg-xs": dict(width=16, convs_per_stage=2, hidden=128),
}


def build(arch):
    return FerVgg(**ARCHITECTURES[arch])


class ServingModel(nn.Module):
    """What ships in ONNX: [N,1,48,48] grayscale in [0,1] -> [N,7] probabilities.
    Normalisation and optional flip test-time augmentation live inside the graph, so every
    consumer of the ONNX file computes exactly what training measured."""

    def __init__(self, net, flip_tta=False, temperature=1.0):
        super().__init__()
        self.net = net
        self.flip_tta = flip_tta
        # Temperature scaling (Guo et al. 2017): logits / T before the softmax. T is fitted on held-out Training rows
        # (fit_temperature.py); 1.0 adds no node, so an uncalibrated export stays the graph it always was.
        self.temperature = float(temperature)

    def scores(self, logits):
        if self.temperature != 1.0:
            logits = logits / self.temperature
        return F.softmax(logits, dim=1)

    def forward(self, pixels):
        x = (pixels - PIXEL_MEAN) / PIXEL_STD
        probs = self.scores(self.net(x))
        if self.flip_tta:
            probs = 0.5 * (probs + self.scores(self.net(torch.flip(x, dims=[3]))))
        return probs


@torch.no_grad()
def predict_probabilities(serving, images_u8, device="cpu", batch=512, view=None):
    """[N,7] probabilities (numpy) of uint8 [N,48,48] faces through a ServingModel, in batches. `view`, when
    given, transforms the [0,1] pixels first: test-time augmentation measured before it goes into the graph."""
    serving.eval()
    out = []
    for i in range(0, len(images_u8), batch):
        chunk = images_u8[i:i + batch]
        if isinstance(chunk, np.ndarray):
            chunk = torch.from_numpy(chunk)
        pixels = chunk.to(device).float().unsqueeze(1) / 255.0
        if view is not None:
            pixels = view(pixels)
        out.append(serving(pixels).float().cpu())
    return torch.cat(out).numpy()


def load_trained(checkpoint_path):
    """A best.pt checkpoint as (its recorded state, the network in eval mode)."""
    state = torch.load(checkpoint_path, map_location="cpu", weights_only=False)
    net = build(state["arch"])
    net.load_state_dict(state["net"])
    return state, net.eval()


def count_parameters(net):
    return sum(p.numel() for p in net.parameters())


def count_macs(net):
    """Multiply-accumulates of one 48x48 forward pass (convolutions and linear layers)."""
    macs = 0

    def conv_hook(module, inputs, output):
        nonlocal macs
        macs += output.numel() // output.shape[0] * (module.in_channels // module.groups) * module.kernel_size[0] * module.kernel_size[1]

    def linear_hook(module, inputs, output):
        nonlocal macs
        macs += module.in_features * module.out_features

    hooks = []
    for m in net.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear_hook))
    was_training = net.training
    net.eval()
    with torch.no_grad():
        net(torch.zeros(1, 1, 48, 48))
    net.train(was_training)
    for h in hooks:
        h.remove()
    return macs
