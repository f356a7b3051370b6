using HotDistance.Core.Zarr;

namespace HotDistance.Tests.Zarr;

public sealed class CellMapLayoutTests
{
    [Theory]
    [InlineData("/data/jrc_hela-2.zarr/recon-1/labels/groundtruth/crop3", "/data/jrc_hela-2.zarr", "crop3")]
    [InlineData("/data/jrc_hela-2.zarr/recon-1/labels/groundtruth/crop3/", "/data/jrc_hela-2.zarr", "crop3")]
    [InlineData("jrc_hela-2.zarr/recon-1/labels/groundtruth/crop3", "jrc_hela-2.zarr", "crop3")]
    [InlineData("/data/jrc_hela-2.zarr", "/data/jrc_hela-2.zarr", null)]
    [InlineData("/data/jrc_hela-2.zarr/recon-1/labels/groundtruth", "/data/jrc_hela-2.zarr/recon-1/labels/groundtruth", null)]
    [InlineData("/data/jrc_hela-2.zarr/recon-1/em/fibsem-uint8/s0", "/data/jrc_hela-2.zarr/recon-1/em/fibsem-uint8/s0", null)]
    [InlineData("recon-1/labels/groundtruth/crop3", "recon-1/labels/groundtruth/crop3", null)]
    public void A_crop_group_path_splits_into_its_dataset_and_crop_and_any_other_path_stays_whole(string path, string dataset, string? crop)
    {
        Assert.Equal((dataset, crop), CellMapLayout.SplitCropPath(path));
    }
}
