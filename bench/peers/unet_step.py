#!/usr/bin/env python3
"""PyTorch peer of the training-step benchmark (see bench/README.md); started by `HotDistance.Bench train|all`.

The same network as src/Learning/Model/UNet.cs with the benchmark's ModelArchitecture (base 12 features,
multiplier 2, two 2x2x2 downsamplings) and Hot-Distance heads for 2 classes, the same loss as
src/Learning/Tasks/HotDistanceTask.cs (voxel-weighted BCE-with-logits on the one-hot channels plus
lambda = 1 times voxel-weighted MSE on the distance channels, each averaged over all voxels) and Adam
(lr 3e-3). One step = zero_grad, forward, loss, backward, optimizer step, loss.item(), on a fixed batch.
"""
import argparse
import json
import platform
import resource
import subprocess
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F

RAW_MEAN = 0.5
RAW_STD = 0.25


class ConvBlock(nn.Module):
    """Two 3x3x3 convolutions with ReLU, keeping the spatial size (ConvBlock.cs)."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.first = nn.Conv3d(in_channels, out_channels, 3, padding=1)
        self.second = nn.Conv3d(out_channels, out_channels, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.second(F.relu(self.first(x))))


class UNet(nn.Module):
    """UNet.cs: encoders, max-pool down, transposed-conv up, skip concatenation, 1x1 one-hot and distance heads."""

    def __init__(self, base: int, multiplier: int, factors: list, classes: int) -> None:
        super().__init__()
        levels = len(factors) + 1
        features = [base * multiplier**level for level in range(levels)]
        self.encoders = nn.ModuleList()
        in_channels = 1
        for level in range(levels):
            self.encoders.append(ConvBlock(in_channels, features[level]))
            in_channels = features[level]
        self.downsamplers = nn.ModuleList()
        self.upsamplers = nn.ModuleList()
        self.decoders = nn.ModuleList()
        for level, factor in enumerate(factors):
            self.downsamplers.append(nn.MaxPool3d(factor, stride=factor))
            self.upsamplers.append(nn.ConvTranspose3d(features[level + 1], features[level], factor, stride=factor))
            self.decoders.append(ConvBlock(2 * features[level], features[level]))
        self.one_hot_head = nn.Conv3d(base, classes, 1)
        self.distance_head = nn.Conv3d(base, classes, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = (x - RAW_MEAN) / RAW_STD
        skips = []
        for level, encoder in enumerate(self.encoders):
            x = encoder(x)
            if level < len(self.downsamplers):
                skips.append(x)
                x = self.downsamplers[level](x)
        for level in reversed(range(len(self.decoders))):
            up = self.upsamplers[level](x)
            x = self.decoders[level](torch.cat([skips[level], up], 1))
        return torch.cat([self.one_hot_head(x), self.distance_head(x)], 1)


def hot_distance_loss(output, target, weight, distance_weight=1.0):
    classes = output.shape[1] // 2
    one_hot = (F.binary_cross_entropy_with_logits(output[:, :classes], target[:, :classes], reduction="none")
               * weight[:, :classes]).mean()
    distance = ((output[:, classes:] - target[:, classes:]).square() * weight[:, classes:]).mean()
    return one_hot + distance * distance_weight


def debian_version(package: str) -> str:
    try:
        return subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=32)
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--lockstep", action="store_true", help="after warm-up, step once per 'step' line on stdin")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(7)
    classes = 2
    model = UNet(12, 2, [(2, 2, 2), (2, 2, 2)], classes)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    parameters = sum(p.numel() for p in model.parameters())
    model.train()

    size, batch = args.size, args.batch
    inputs = torch.rand(batch, 1, size, size, size)
    one_hot = (torch.rand(batch, classes, size, size, size) > 0.5).float()
    distance = torch.rand(batch, classes, size, size, size) * 2 - 1
    target = torch.cat([one_hot, distance], 1)
    weight = torch.rand(batch, 2 * classes, size, size, size)

    losses, seconds, cpu_seconds = [], [], []

    def step() -> tuple:
        start, start_cpu = time.perf_counter(), time.process_time()
        optimizer.zero_grad()
        output = model(inputs)
        loss = hot_distance_loss(output, target, weight)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        return time.perf_counter() - start, time.process_time() - start_cpu

    def timed() -> None:
        wall, cpu = step()
        seconds.append(wall)
        cpu_seconds.append(cpu)

    for _ in range(args.warmup):
        step()
    if args.lockstep:
        # The harness alternates this side's steps with the C# side's (see bench/HotDistance.Bench/Harness/SideProcess.cs).
        print("@ready", flush=True)
        for command in sys.stdin:
            command = command.strip()
            if command == "finish":
                break
            if command == "step":
                timed()
                print("@step", flush=True)
    else:
        for _ in range(args.steps):
            timed()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    package = debian_version("python3-torch")
    measurement = {
        "benchmark": f"train-{size}",
        "implementation": f"PyTorch {torch.__version__}, Debian {package} ({torch.get_num_threads()} thread(s))",
        "side": "python",
        "seconds": seconds,
        "cpuSeconds": cpu_seconds,
        "peakRssKiB": peak_kib,
        "details": {
            "threads": torch.get_num_threads(),
            "batch": batch,
            "patch": size,
            "warmupSteps": args.warmup,
            "parameters": parameters,
            "firstLoss": losses[0],
            "lastLoss": losses[-1],
            "torch": torch.__version__,
            "debianPackage": package,
            "python": platform.python_version(),
            "mkldnn": torch.backends.mkldnn.is_available(),
        },
    }
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump([measurement], out)


if __name__ == "__main__":
    main()
