# Urban Therapy engagement: shop QR codes, first-order coupons, review
# nudges, loyalty and referral.
