"""Knowledge distillation: a student is fitted to an ensemble teacher's scores (train.py --teacher ...).

The teachers score the very batch the student sees, after its augmentation ("consistent teaching", Beyer et al.
2022, arXiv 2106.05237): scores precomputed on fixed views let the student memorise them. The loss is the KL
divergence between the teacher's and the student's softened distributions (temperature T, scaled by T^2 so its
gradient keeps its size as T changes, Hinton et al. 2015), plus a small cross-entropy on the FER2013 label.
"""
import torch
from torch.nn import functional as F

from .model import load_trained


class TeacherEnsemble:
    """Frozen networks from best.pt checkpoints; their softened probabilities are averaged, view by view."""

    def __init__(self, checkpoints, device, memory_format=torch.contiguous_format, flip=False):
        self.nets = []
        self.records = []
        for path in checkpoints:
            state, net = load_trained(path)
            net = net.to(device, memory_format=memory_format).eval()
            for p in net.parameters():
                p.requires_grad_(False)
            self.nets.append(net)
            self.records.append({"checkpoint": path, "arch": state["arch"], "epoch": state.get("epoch"),
                                 "val_acc": state.get("val_acc"), "weights": state.get("weights")})
        # The horizontal mirror is a second view of the same augmented face: a cheap extra ensemble member.
        self.flip = flip

    @property
    def forwards_per_batch(self):
        return len(self.nets) * (2 if self.flip else 1)

    @torch.no_grad()
    def probabilities(self, x, temperature=1.0):
        """Mean over teachers and views of softmax(logits / T), float32, for normalised input x [N,1,48,48]."""
        views = [x, torch.flip(x, dims=[3])] if self.flip else [x]
        total = None
        for net in self.nets:
            for view in views:
                p = F.softmax(net(view).float() / temperature, dim=1)
                total = p if total is None else total + p
        return total / self.forwards_per_batch


def distillation_loss(student_logits, teacher_probs, labels, temperature, label_weight, label_smoothing=0.0):
    """(1 - w) * T^2 * KL(teacher_T || student_T) + w * CE(student, label)."""
    logits = student_logits.float()
    kd = F.kl_div(F.log_softmax(logits / temperature, dim=1), teacher_probs, reduction="batchmean") * temperature ** 2
    if label_weight == 0:
        return kd
    ce = F.cross_entropy(logits, labels, label_smoothing=label_smoothing)
    return (1 - label_weight) * kd + label_weight * ce
