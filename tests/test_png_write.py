"""plansite/png_write.py: the chart PNG writer gives files any reader decodes to the same pixels."""
import io

import numpy as np
import pytest
from PIL import Image

from plansite.png_write import write_png


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_pixels_come_back_exactly():
    # Random pixels exercise the Up filter's wrap-around (a row darker than the one above).
    rgb = np.random.default_rng(7).integers(0, 256, size=(37, 53, 3), dtype=np.uint8)
    image = decode(write_png(rgb, 450))
    assert image.mode == "RGB" and image.size == (53, 37)
    assert (np.asarray(image) == rgb).all()


def test_rgba_pixels_come_back_exactly_with_their_alpha():
    # Chart PNGs are written straight from matplotlib's RGBA buffer.
    rgba = np.random.default_rng(8).integers(0, 256, size=(29, 41, 4), dtype=np.uint8)
    image = decode(write_png(rgba, 450))
    assert image.mode == "RGBA" and image.size == (41, 29)
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
