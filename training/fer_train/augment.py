"""Batched augmentation on tensors: one affine grid_sample per batch keeps CPU cost small.
Random draws are made on the batch's own device, so on a GPU the whole step stays there."""
import math

import torch
from torch.nn import functional as F


def random_affine(x, max_rotate_deg=15.0, scale=(0.85, 1.15), max_shift=0.12, flip_p=0.5):
    n, dev = x.shape[0], x.device
    angle = (torch.rand(n, device=dev) * 2 - 1) * math.radians(max_rotate_deg)
    s = torch.empty(n, device=dev).uniform_(*scale)
    flip = torch.where(torch.rand(n, device=dev) < flip_p, -1.0, 1.0)
    tx = (torch.rand(n, device=dev) * 2 - 1) * max_shift * 2
    ty = (torch.rand(n, device=dev) * 2 - 1) * max_shift * 2
    cos, sin = torch.cos(angle) / s, torch.sin(angle) / s
    theta = torch.stack([torch.stack([cos * flip, -sin, tx], 1), torch.stack([sin * flip, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def random_erasing(x, p=0.5, area=(0.02, 0.25), ratio=(0.3, 3.3)):
    n, _, h, w = x.shape
    dev = x.device
    a = torch.empty(n, device=dev).uniform_(*area) * h * w
    r = torch.exp(torch.empty(n, device=dev).uniform_(math.log(ratio[0]), math.log(ratio[1])))
    eh = torch.sqrt(a * r).clamp(1, h).long()
    ew = torch.sqrt(a / r).clamp(1, w).long()
    y0 = (torch.rand(n, device=dev) * (h - eh + 1).float()).long()
    x0 = (torch.rand(n, device=dev) * (w - ew + 1).float()).long()
    rows = torch.arange(h, device=dev).view(1, h, 1)
    cols = torch.arange(w, device=dev).view(1, 1, w)
    mask = (rows >= y0.view(n, 1, 1)) & (rows < (y0 + eh).view(n, 1, 1)) & \
           (cols >= x0.view(n, 1, 1)) & (cols < (x0 + ew).view(n, 1, 1))
    mask &= (torch.rand(n, device=dev) < p).view(n, 1, 1)
    noise = torch.randn_like(x)
    return torch.where(mask.unsqueeze(1), noise, x)
