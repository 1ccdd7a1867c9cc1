"""plansite/charts/png.py: the chart PNG writer gives files any reader decodes to the same pixels."""
import io

import numpy as np
import pytest
from PIL import Image

from plansite.charts.png import write_png


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("height", [1, 37, 256, 257, 600])  # rows are filtered 256 at a time
def test_pixels_come_back_exactly(height):
    # Random pixels exercise the Up filter's wrap-around (a row darker than the one above).
    rgb = np.random.default_rng(7).integers(0, 256, size=(height, 53, 3), dtype=np.uint8)
    image = decode(write_png(rgb, 450))
    assert image.mode == "RGB" and image.size == (53, height)
    assert (np.asarray(image) == rgb).all()


def test_rgba_pixels_come_back_exactly_with_their_alpha():
    # Chart PNGs are written straight from matplotlib's RGBA buffer.
    rgba = np.random.default_rng(8).integers(0, 256, size=(300, 41, 4), dtype=np.uint8)
    image = decode(write_png(rgba, 450))
    assert image.mode == "RGBA" and image.size == (41, 300)
    assert (np.asarray(image) == rgba).all()


def test_resolution_is_recorded_for_word():
    image = decode(write_png(np.full((4, 4, 3), 255, dtype=np.uint8), 450))
    assert image.info["dpi"] == pytest.approx((450, 450), abs=0.05)


def test_same_pixels_same_bytes():
    rgb = np.zeros((10, 10, 3), dtype=np.uint8)
    assert write_png(rgb, 300) == write_png(rgb.copy(), 300)


def test_refuses_what_is_not_8_bit_rgb_or_rgba():
    with pytest.raises(ValueError):
        write_png(np.zeros((2, 2, 2), dtype=np.uint8), 450)
    with pytest.raises(ValueError):
        write_png(np.zeros((2, 2, 3), dtype=np.float32), 450)


def test_a_tall_image_is_written_without_a_second_copy_of_its_pixels():
    """A large plan's home chart is 1620 × 49,000 px (300 MB of pixels): filtering the rows all at
    once held a second copy, doubling the drawing worker's memory."""
    import tracemalloc

    pixels = np.full((8000, 1620, 4), 255, dtype=np.uint8)  # 52 MB of white
    tracemalloc.start()
    try:
        write_png(pixels, 450)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < pixels.nbytes / 10
