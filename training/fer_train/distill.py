"""Knowledge distillation: a student is fitted to an ensemble teacher's scores (train.py --teacher ...).

The teachers score the very batch the student sees, after its augmentation ("consistent teaching", Beyer et al.
2022, arXiv 2106.05237): scores precomputed on fixed views let the student memorise them. The loss is the KL
divergence between the teacher's and the student's softened distributions (temperature T, scaled by T^2 so its
gradient keeps its size as T changes, Hinton et al. 2015), plus a small cross-entropy on the FER2013 label.

On a CPU the teachers can run as int8 networks (--teacher-int8): export_int8's recipe (BatchNorm folded, fused,
calibrated on Training rows) converted to PyTorch's integer kernels. Measured on this 2-core EPYC (avx512_vnni),
batch 64: 2,430 img/s against 322 in bfloat16, which takes a mirrored teacher from 60 % of a distillation step to 13 %.
"""
import torch
from torch.nn import functional as F

from .model import load_trained


class TeacherEnsemble:
    """Frozen networks from best.pt checkpoints; their softened probabilities are averaged, view by view."""

    def __init__(self, checkpoints, device, memory_format=torch.contiguous_format, flip=False, int8_calibration=None):
        """int8_calibration: normalised Training images [N,1,48,48] to calibrate int8 teachers on (CPU only); None
        keeps the teachers in floating point."""
        if int8_calibration is not None and device.type != "cpu":
            raise SystemExit("--teacher-int8 runs PyTorch's CPU integer kernels; on a GPU leave it out")
        self.nets = []
        self.records = []
        self.int8 = int8_calibration is not None
        for path in checkpoints:
            state, net = load_trained(path)
            net = net.eval()
            if self.int8:
                net = quantised_copy(net, int8_calibration)
            else:
                net = net.to(device, memory_format=memory_format)
            for p in net.parameters():
                p.requires_grad_(False)
            self.nets.append(net)
            self.records.append({"checkpoint": path, "arch": state["arch"], "epoch": state.get("epoch"),
                                 "val_acc": state.get("val_acc"), "weights": state.get("weights"),
                                 "int8": self.int8})
        # The horizontal mirror is a second view of the same augmented face: a cheap extra ensemble member.
        self.flip = flip

    @property
    def forwards_per_batch(self):
        return len(self.nets) * (2 if self.flip else 1)

    @torch.no_grad()
    def probabilities(self, x, temperature=1.0):
        """Mean over teachers and views of softmax(logits / T), float32, for normalised input x [N,1,48,48]."""
        if self.int8:  # integer kernels take float32 in and out, outside any autocast region
            with torch.autocast(device_type="cpu", enabled=False):
                return self._mean_probabilities(x.float().contiguous(), temperature)
        return self._mean_probabilities(x, temperature)

    def _mean_probabilities(self, x, temperature):
        views = [x, torch.flip(x, dims=[3])] if self.flip else [x]
        total = None
        for net in self.nets:
            for view in views:
                p = F.softmax(net(view).float() / temperature, dim=1)
                total = p if total is None else total + p
        return total / self.forwards_per_batch


@torch.no_grad()
def quantised_copy(net, calibration, batch=250):
    """An int8 copy of an eval-mode float net (PyTorch's quantised modules), its activation ranges observed on
    `calibration`, normalised input in, float logits out."""
    from torch.ao import quantization as tq

    from .export_int8 import prepare_fake_quant  # imports onnx: only when int8 teachers are asked for

    fake = prepare_fake_quant(net)
    for i in range(0, len(calibration), batch):
        fake(calibration[i:i + batch])
    fake.apply(tq.disable_observer)
    return tq.convert(fake.eval(), inplace=False)


def distillation_loss(student_logits, teacher_probs, labels, temperature, label_weight, label_smoothing=0.0):
    """(1 - w) * T^2 * KL(teacher_T || student_T) + w * CE(student, label)."""
    logits = student_logits.float()
    kd = F.kl_div(F.log_softmax(logits / temperature, dim=1), teacher_probs, reduction="batchmean") * temperature ** 2
    if label_weight == 0:
        return kd
    ce = F.cross_entropy(logits, labels, label_smoothing=label_smoothing)
    return (1 - label_weight) * kd + label_weight * ce
